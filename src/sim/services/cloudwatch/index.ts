/**
 * The simulated CloudWatch: metric and composite alarms with a time-driven evaluation engine, alarm history,
 * metric data over the world's traffic model (GetMetricData with metric math, GetMetricStatistics,
 * PutMetricData, ListMetrics), the `alarm` faults, and the `alarms` reader Auto Scaling and ECS use for
 * alarm-based rollback.
 */
import type { SimService } from '../../types.js';
import type { World } from '../../world.js';
import type { AlarmReader, AlarmStateValue } from '../contracts.js';
import { deleteAlarms, putCompositeAlarm, putMetricAlarm, setAlarmState } from './alarmOps.js';
import { describeAlarmHistory, describeAlarms } from './describe.js';
import { driftAlarm } from './drift.js';
import { advanceTo, catchUp, cloudWatchState, nextEvaluationTime } from './engine.js';
import { getMetricData, getMetricStatistics, listMetrics, putMetricData } from './metricData.js';
import { seedCloudWatch } from './seed.js';
import { initialCloudWatchState, type CloudWatchState } from './state.js';

export type { CloudWatchState } from './state.js';

/**
 * Alarm states for other services, evaluated up to now first. Services ask from their operation handlers (the
 * world has just synced: nothing to do) or while the world applies their own time-driven events: then the
 * alarms' evaluations due at or before that instant (world.state.now) are applied first. Anyone else (a test, a
 * gate) gets the world synced to the clock. Syncing from inside a handler is avoided: it would recompute traffic
 * flows halfway through the handler's changes.
 */
export const alarms: AlarmReader = {
  state(world: World, name: string): AlarmStateValue | undefined {
    if (!world.hasService('cloudwatch')) return undefined;
    if (world.state.now < world.clock.now()) world.sync();
    catchUp(world, world.state.now);
    return cloudWatchState(world).alarms[name]?.status.stateValue;
  },
};

export const cloudwatchService: SimService<CloudWatchState> & { readonly alarms: AlarmReader } = {
  name: 'cloudwatch',
  initialState: initialCloudWatchState,
  operations: {
    PutMetricAlarm: putMetricAlarm,
    PutCompositeAlarm: putCompositeAlarm,
    DescribeAlarms: describeAlarms,
    DeleteAlarms: deleteAlarms,
    SetAlarmState: setAlarmState,
    DescribeAlarmHistory: describeAlarmHistory,
    GetMetricData: getMetricData,
    GetMetricStatistics: getMetricStatistics,
    PutMetricData: putMetricData,
    ListMetrics: listMetrics,
  },
  nextEventAt: (ctx) => nextEvaluationTime(ctx.state),
  advance: (ctx) => advanceTo(ctx.world, ctx.state, ctx.now),
  drift: driftAlarm,
  seed: seedCloudWatch,
  alarms,
};
