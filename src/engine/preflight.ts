import { DeployError } from '../errors.js';
import type { Json, PreflightReport, ProviderContext } from '../providers/types.js';
import type { Runtime } from './runtime.js';

/**
 * Read-only checks of every target and gate, then the capture of every target's exact configuration.
 * All problems are reported together (exit 2); nothing is written before this has passed.
 */
export async function preflightAll(runtime: Runtime, ctx: ProviderContext): Promise<Record<string, Json>> {
  const providers = [...runtime.traffic, ...runtime.capacity];
  const reports = await Promise.all([
    ...providers.map((p) => p.preflight(ctx)),
    ...runtime.gates.map((g) => (g.preflight ? g.preflight({ deploymentId: ctx.deploymentId, signal: ctx.signal }) : Promise.resolve({ errors: [], warnings: [] }))),
  ]);
  const errors = reports.flatMap((r) => r.errors);
  const warnings = reports.flatMap((r) => r.warnings);
  const facts = Object.fromEntries(providers.flatMap((p, i) => {
    const found = (reports[i] as PreflightReport | undefined)?.facts;
    return found ? [[p.label, found]] : [];
  }));
  runtime.emit({ type: 'preflight.finished', errors, warnings, ...(Object.keys(facts).length > 0 ? { facts } : {}) });
  if (errors.length > 0) throw new DeployError('PREFLIGHT_FAILED', `preflight found ${errors.length} problem(s):\n  - ${errors.join('\n  - ')}`);
  const keys = providers.map((p) => p.lockKey);
  const repeated = keys.find((k, i) => keys.indexOf(k) !== i);
  if (repeated) throw new DeployError('PREFLIGHT_FAILED', `the same target appears twice (${repeated}); a deployment moves each target once`);
  const snapshots: Record<string, Json> = {};
  for (const provider of providers) snapshots[provider.lockKey] = await provider.capture(ctx);
  return snapshots;
}
