export { createAlarmGate, type AlarmGateOptions } from './alarmGate.js';
export { createMetricGate, judgeMetric, DEFAULT_METRIC_WINDOW_SECONDS } from './metricGate.js';
export { createAnalysisRunner, SPARE_PERIODS } from './analysisRunner.js';
export { createHookRunner, DEFAULT_HOOK_TIMEOUT_SECONDS, DEFAULT_KILL_GRACE_MS, type HookRunnerDeps } from './hooks/hookRunner.js';
export type { HookPayload } from './hooks/hookFailure.js';
export { mannWhitneyU, median, type MannWhitneyResult } from './mannWhitney.js';
export { compareCanary, type CanaryComparison, type CompareOptions, type Direction } from './canaryScore.js';
export { ALARM_TYPES, MAX_NAMES_PER_CALL } from './describeAlarms.js';
export { worstOf, type Gate, type GateCheckContext, type GateResult, type InconclusivePolicy } from './types.js';
