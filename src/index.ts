/**
 * deployctl SDK: named exports only. See README "SDK" for examples.
 */
export { plan, deploy, startDeploy, continueDeploy, listDeployments, type DeployContext, type DeploymentHandle } from './sdk.js';
export type { DeployResult } from './engine/deployment.js';
export type { DeployEvent, DeployEventType, DeploymentOutcome, Failure } from './engine/events.js';
export type { DeploySpec, TargetSpec, HookSpec, AnalysisSpec, MetricGateSpec, GatesSpec } from './config/schema.js';
export { DeploySpec as DeploySpecSchema } from './config/schema.js';
export { parseSpec, planFromSpec } from './config/resolve.js';
export { loadSpecFile } from './config/loadSpec.js';
export { buildPlan, validatePlan, describeStep, planTimeline, CODEDEPLOY_PRESETS } from './strategies/index.js';
export type { Plan, Step, StrategyName, StrategyOptions } from './strategies/index.js';
export { createRolloutMachine } from './machines/rolloutMachine.js';
export { toMermaid, toDot } from './machines/graph.js';
export type { TrafficProvider, CapacityProvider, ProviderContext, ShiftContext, WeightCheck, PreflightReport, Json } from './providers/types.js';
export type { Gate, GateResult, GateCheckContext, InconclusivePolicy } from './gates/types.js';
export { DeployError, InputError, InputErrors, LockedError, ExitCode, type ErrorCode, type ErrorSource } from './errors.js';
export { FileStore } from './state/fileStore.js';
export { DynamoStore, createStateTable } from './state/dynamoStore.js';
export type { DeploymentRecord, DeploymentStore, DeploymentStatus, AuditEntry } from './state/types.js';
export { RealClock, VirtualClock, ScaledClock, type Clock } from './time/clock.js';
export { openWorld, type OpenWorldOptions } from './sim/index.js';
export { iamPolicy } from './providers/permissions.js';
