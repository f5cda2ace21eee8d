import type { Service } from '@aws-sdk/client-ecs';
import type { ProviderContext } from '../types.js';
import type { ServiceUpdate } from './api.js';
import { configDifferences, describeDeployments, extraMembers, isSteady, sameJson } from './live.js';
import { warn, type Runner } from './runner.js';
import type { CapturedService } from './snapshot.js';
import { shortTaskDefinition } from './target.js';
import { waitUntil, writeConfirmed, type Check } from './waits.js';

/** Which captured members a restore writes back (desiredCount only where deployctl changed it: split mode). */
export interface RestoreFields {
  readonly taskDefinition: boolean;
  readonly deploymentConfiguration: boolean;
  readonly desiredCount: boolean;
}

export interface RestoreOptions {
  /** Task definitions the rollout itself put there (not someone else's change). */
  readonly ours?: readonly string[];
  /** Another condition of "back as captured" (healthy targets in the service's target group). */
  readonly alsoWait?: (service: Service) => Promise<string | undefined>;
}

/**
 * Writes the captured members back (only those that differ, so nothing starts a needless deployment), then waits
 * until the service is steady on them: one deployment, COMPLETED, running = desired, every captured member read
 * back equal. Throws, saying what is still different, when that does not happen within the wait policy.
 */
export async function restoreService(run: Runner, captured: CapturedService, fields: RestoreFields, ctx: ProviderContext, options: RestoreOptions = {}): Promise<void> {
  const live = await run.api.service(captured.name, ctx.signal);
  warnForeign(run, live, captured, options.ours ?? [], ctx);
  const update = updateFor(live, captured, fields);
  const read = async (): Promise<Service> => run.api.service(captured.name, ctx.signal);
  if (Object.keys(update).length > 0) {
    await writeConfirmed(`${run.label}: restoring service ${captured.name}`, async () => void (await run.api.update(captured.name, update, ctx.signal)), async () => written(await read(), captured, fields), ctx, run.policy.write);
  }
  const back: Check = async () => {
    const service = await read();
    return (await backAsCaptured(service, captured, fields)) ?? (await options.alsoWait?.(service));
  };
  await waitUntil(`${run.label}: service ${captured.name} back on ${shortTaskDefinition(captured.taskDefinition)}`, back, ctx, run.policy.wait);
  leftovers(run, await read(), captured, ctx);
}

export function updateFor(live: Service, captured: CapturedService, fields: RestoreFields): ServiceUpdate {
  return {
    ...(fields.taskDefinition && live.taskDefinition !== captured.taskDefinition ? { taskDefinition: captured.taskDefinition } : {}),
    ...(fields.desiredCount && live.desiredCount !== captured.desiredCount ? { desiredCount: captured.desiredCount } : {}),
    ...(fields.deploymentConfiguration && configDifferences(captured.deploymentConfiguration, live.deploymentConfiguration).length > 0 ? { deploymentConfiguration: captured.deploymentConfiguration } : {}),
  };
}

/** The members written show on a read (the deployment they start may still run). */
function written(service: Service, captured: CapturedService, fields: RestoreFields): string | undefined {
  const update = updateFor(service, captured, fields);
  return Object.keys(update).length === 0 ? undefined : `still different: ${Object.keys(update).join(', ')}`;
}

/** Field by field against the capture, and steady. */
export async function backAsCaptured(service: Service, captured: CapturedService, fields: RestoreFields): Promise<string | undefined> {
  const problems: string[] = [];
  if (service.taskDefinition !== captured.taskDefinition) problems.push(`task definition ${shortTaskDefinition(service.taskDefinition ?? '?')}, captured ${shortTaskDefinition(captured.taskDefinition)}`);
  if (fields.desiredCount && service.desiredCount !== captured.desiredCount) problems.push(`desiredCount ${String(service.desiredCount)}, captured ${captured.desiredCount}`);
  if (fields.deploymentConfiguration) problems.push(...configDifferences(captured.deploymentConfiguration, service.deploymentConfiguration));
  if (!isSteady(service)) problems.push(`not steady yet: ${describeDeployments(service)}`);
  return problems.length > 0 ? problems.join('; ') : undefined;
}

function warnForeign(run: Runner, live: Service, captured: CapturedService, ours: readonly string[], ctx: ProviderContext): void {
  const now = live.taskDefinition ?? '?';
  if (now === captured.taskDefinition || ours.includes(now)) return;
  warn(ctx, `${run.label}: restoring service ${captured.name} to ${shortTaskDefinition(captured.taskDefinition)} replaces ${shortTaskDefinition(now)}, which someone else deployed during the rollout`);
}

/** What UpdateService cannot take back, and changes that are not ours: said, not hidden. */
function leftovers(run: Runner, service: Service, captured: CapturedService, ctx: ProviderContext): void {
  const extra = extraMembers(captured.deploymentConfiguration, service.deploymentConfiguration);
  if (extra.length > 0) {
    warn(ctx, `${run.label}: service ${captured.name} keeps deploymentConfiguration ${extra.join(', ')}, which it did not have at capture (UpdateService cannot remove a member; it has no effect under strategy ${String(captured.deploymentConfiguration.strategy ?? 'ROLLING')})`);
  }
  if (!sameJson(captured.loadBalancers, service.loadBalancers ?? [])) warn(ctx, `${run.label}: the load balancers of service ${captured.name} changed during the rollout (deployctl never writes them)`);
}
