import type { ServiceContext } from '../../types.js';
import { applyDueAnswers, nextAnswerAt } from './answers.js';
import type { Route53State } from './state.js';

type Ctx = ServiceContext<Route53State>;

/** The earliest change still to become INSYNC, or answer still to reach resolvers. */
export function nextRoute53EventAt(ctx: Ctx): number | undefined {
  const times = ctx.state.pendingChanges.map((id) => ctx.state.changes[id]?.insyncAt).filter((t): t is number => t !== undefined);
  const answerAt = nextAnswerAt(ctx.state);
  if (answerAt !== undefined) times.push(answerAt);
  return times.length === 0 ? undefined : Math.min(...times);
}

/** Changes that have propagated become INSYNC; answers whose cached predecessors expired start to be served. */
export function advanceRoute53(ctx: Ctx): void {
  const { state } = ctx;
  state.pendingChanges = state.pendingChanges.filter((id) => {
    const change = state.changes[id];
    if (!change || change.insyncAt > ctx.now) return change !== undefined;
    change.status = 'INSYNC';
    return false;
  });
  for (const zone of Object.values(state.zones)) applyDueAnswers(ctx, zone, ctx.now);
}
