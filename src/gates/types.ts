/** A gate's verdict is data, never an exception. A failure to read is an exception, counted by the machine. */
export type GateResult =
  | { readonly type: 'ok'; readonly detail?: string }
  | { readonly type: 'alarm'; readonly names: readonly string[]; readonly reason: string }
  | { readonly type: 'inconclusive'; readonly reason: string };

export interface GateCheckContext {
  readonly deploymentId: string;
  readonly signal: AbortSignal;
  /** The step the rollout is on, for per-step gates. */
  readonly stepIndex: number;
  /** Traffic share on the new version now. */
  readonly weight: number;
}

export interface Gate {
  readonly name: string;
  check(ctx: GateCheckContext): Promise<GateResult>;
}

/** What to do when a gate cannot tell (alarm INSUFFICIENT_DATA, too little metric data). */
export type InconclusivePolicy = 'ignore' | 'fail' | 'pause';

/** Combines several verdicts: any alarm wins, then inconclusive, then ok. */
export function worstOf(results: readonly GateResult[]): GateResult {
  const alarms = results.filter((r): r is Extract<GateResult, { type: 'alarm' }> => r.type === 'alarm');
  if (alarms.length > 0) {
    return { type: 'alarm', names: alarms.flatMap((a) => a.names), reason: alarms.map((a) => a.reason).join('; ') };
  }
  const unsure = results.filter((r): r is Extract<GateResult, { type: 'inconclusive' }> => r.type === 'inconclusive');
  if (unsure.length > 0) return { type: 'inconclusive', reason: unsure.map((u) => u.reason).join('; ') };
  return { type: 'ok' };
}
