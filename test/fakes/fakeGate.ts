import type { Gate, GateCheckContext, GateResult } from '../../src/gates/types.js';

/** A gate whose verdict is decided by a function of the check context (step, weight, call number). */
export class FakeGate implements Gate {
  readonly name = 'fake-gate';
  checks: GateCheckContext[] = [];
  constructor(private readonly decide: (ctx: GateCheckContext, call: number) => GateResult | Error = () => ({ type: 'ok' })) {}
  async check(ctx: GateCheckContext): Promise<GateResult> {
    this.checks.push(ctx);
    const verdict = this.decide(ctx, this.checks.length);
    if (verdict instanceof Error) throw verdict;
    return verdict;
  }
}

export const alarmAtStep = (step: number) => (ctx: GateCheckContext): GateResult =>
  ctx.stepIndex === step ? { type: 'alarm', names: ['errors-high'], reason: 'errors-high is in ALARM' } : { type: 'ok' };
