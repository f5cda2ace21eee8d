import type { Batch } from './taskLifecycle.js';
import type { EcsContext, ServiceRecord } from './state.js';

/** ECS-native BLUE_GREEN / LINEAR / CANARY traffic shifting (not modeled yet). */

export function nativeNextAt(service: ServiceRecord): number | undefined {
  return service.native?.nextAt;
}

export function advanceNative(_ctx: EcsContext, _service: ServiceRecord, _batch: Batch): void {}

/** Returns true when the native strategy did the scaling for this pass. */
export function nativeScale(_ctx: EcsContext, _service: ServiceRecord, _batch: Batch): boolean {
  return false;
}
