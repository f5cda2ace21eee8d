import type { ParsedDeploySpec } from '../../config/schema.js';
import { SHIFT_CALLS } from '../../providers/permissions.js';
import type { Plan } from '../../strategies/types.js';
import { environmentFor } from '../context.js';
import type { Flags } from '../toSpec.js';

/**
 * The live half of `deployctl plan`: every target's preflight (read-only calls only), what it found, and the calls
 * a rollout would make. Counts the calls plan itself made and shows that none of them wrote anything.
 */
export async function livePlanSection(spec: ParsedDeploySpec, plan: Plan, flags: Flags): Promise<string[]> {
  const env = await environmentFor(flags, spec, 'deployctl-plan');
  const lines: string[] = ['', 'Live state and preflight (read-only):'];
  try {
    const { buildDeploymentParts } = await import('../../providers/registry.js');
    const parts = await buildDeploymentParts(spec, plan, env);
    const ctx = { deploymentId: 'plan', signal: new AbortController().signal, clock: env.clock, emit: () => undefined };
    for (const provider of [...parts.traffic, ...parts.capacity]) {
      const report = await provider.preflight(ctx).catch((error: unknown) => ({ errors: [(error as Error).message], warnings: [], facts: undefined }));
      lines.push(`  ${provider.label}: ${report.errors.length === 0 ? 'ready' : 'NOT READY'}`);
      for (const [key, value] of Object.entries(report.facts ?? {})) lines.push(`    ${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}`);
      for (const error of report.errors) lines.push(`    ✗ ${error}`);
      for (const warning of report.warnings) lines.push(`    ! ${warning}`);
    }
    for (const gate of parts.gates) {
      const report = gate.preflight ? await gate.preflight(ctx).catch((error: unknown) => ({ errors: [(error as Error).message], warnings: [] })) : { errors: [], warnings: [] };
      lines.push(`  gate ${gate.name}: ${report.errors.length === 0 ? 'ready' : 'NOT READY'}`, ...report.errors.map((e) => `    ✗ ${e}`), ...report.warnings.map((w) => `    ! ${w}`));
    }
    lines.push('', 'AWS calls per traffic shift:');
    for (const target of spec.targets) lines.push(`  ${target.type}: ${SHIFT_CALLS[target.type].join(' → ')}`);
    const calls = env.clients.callCounts();
    const writes = Object.keys(calls).filter((k) => !/:(Describe|List|Get)/.test(k));
    lines.push('', `This plan made ${Object.values(calls).reduce((a, b) => a + b, 0)} read-only call(s): ${Object.entries(calls).map(([k, n]) => `${k} ×${n}`).join(', ') || 'none'}${writes.length > 0 ? `; UNEXPECTED writes: ${writes.join(', ')}` : ''}.`);
  } finally {
    env.close();
  }
  return lines;
}
