/**
 * The world's `alarm` faults: `{ alarm, state: OK | ALARM | INSUFFICIENT_DATA | DELETED, holdSeconds? }`.
 * A forced state lasts until the next evaluation, like SetAlarmState, or for `holdSeconds` (evaluations are
 * skipped until then). DELETED removes the alarm even when composite alarms refer to it (an out-of-band
 * deletion mid-rollout; CloudWatch's DeleteAlarms would refuse that): those composites then see it in no state.
 */
import type { ServiceContext } from '../../types.js';
import type { AlarmStateValue } from '../contracts.js';
import { parentsOf, removeAlarm } from './alarmOps.js';
import { catchUp, refreshComposites } from './engine.js';
import { updateState } from './history.js';
import type { CloudWatchState } from './state.js';

const FORCED_STATES = new Set(['OK', 'ALARM', 'INSUFFICIENT_DATA']);

export function driftAlarm(ctx: ServiceContext<CloudWatchState>, params: Readonly<Record<string, unknown>>): string {
  const name = String(params.alarm);
  const target = String(params.state);
  // The fault's own instant: during the world's time sync that is world.state.now, not the clock.
  const at = Math.min(ctx.now, ctx.world.state.now);
  catchUp(ctx.world, at);
  if (!ctx.state.alarms[name]) return `alarm ${name} does not exist; nothing changed`;
  if (target === 'DELETED') {
    const parents = parentsOf(ctx.state, name).map((p) => p.name);
    removeAlarm(ctx.state, name, at);
    refreshComposites(ctx.state, at, new Set([name]));
    return `deleted alarm ${name}${parents.length > 0 ? ` (composite alarms ${parents.join(', ')} still refer to it)` : ''}`;
  }
  if (!FORCED_STATES.has(target)) return `alarm state ${target} is not OK, ALARM, INSUFFICIENT_DATA or DELETED; nothing changed`;
  const hold = typeof params.holdSeconds === 'number' && params.holdSeconds > 0 ? params.holdSeconds : undefined;
  const reason = `Set by the simulated world's alarm fault${hold ? ` for ${hold} s` : ''}`;
  const alarm = ctx.state.alarms[name]!;
  const changed = updateState(ctx.state, alarm, { value: target as AlarmStateValue, reason, manual: true, ...(hold ? { holdUntil: at + hold * 1000 } : {}) }, at);
  if (changed) refreshComposites(ctx.state, at, new Set([name]));
  return `alarm ${name} forced to ${target} ${hold ? `for ${hold} s` : 'until its next evaluation'}`;
}
