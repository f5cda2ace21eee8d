/**
 * Time-driven change: creations and publishes go Pending -> Active, updates InProgress -> Successful, after
 * the world's settle time (what the FunctionActiveV2, FunctionUpdatedV2 and PublishedVersionActive waiters
 * poll for).
 */
import type { ServiceContext } from '../../types.js';
import type { LambdaState, VersionRecord } from './state.js';

function* allVersions(state: LambdaState): Generator<VersionRecord> {
  for (const fn of Object.values(state.functions)) {
    yield fn.latest;
    yield* Object.values(fn.versions);
  }
}

export function nextLambdaEvent(ctx: ServiceContext<LambdaState>): number | undefined {
  let next: number | undefined;
  for (const version of allVersions(ctx.state)) {
    if (version.settlesAt !== undefined && (next === undefined || version.settlesAt < next)) next = version.settlesAt;
  }
  return next;
}

export function advanceLambda(ctx: ServiceContext<LambdaState>): void {
  for (const version of allVersions(ctx.state)) {
    if (version.settlesAt === undefined || version.settlesAt > ctx.now) continue;
    delete version.settlesAt;
    version.state = 'Active';
    if (version.version === '$LATEST') version.lastUpdateStatus = 'Successful';
  }
}
