/**
 * Auto Scaling's errors for semantic violations. Modeled faults (AlreadyExists, ResourceInUse,
 * InstanceRefreshInProgress, ActiveInstanceRefreshNotFound, IrreversibleInstanceRefresh) take their HTTP status
 * from the model; everything else AWS reports as `ValidationError` (400). Sources for the wording are quoted next
 * to each message; messages marked UNVERIFIED follow the style of the verified ones.
 */
import { fail } from '../common.js';
import type { ServiceContext } from '../../types.js';
import type { AutoScalingState, GroupRecord } from './state.js';

export type Ctx = ServiceContext<AutoScalingState>;

export function validationError(message: string): never {
  return fail('ValidationError', message, { httpStatus: 400, type: 'Sender' });
}

/**
 * "AutoScalingGroup name not found - null" (UpdateAutoScalingGroup: aws/aws-sdk-go#1151, fog, moto) and
 * "AutoScalingGroup name not found - AutoScalingGroup '<name>' not found" (DeleteAutoScalingGroup: moto #9917).
 * Other operations use the second form (UNVERIFIED).
 */
export function groupNotFound(name: string, form: 'null' | 'named' = 'named'): never {
  return validationError(`AutoScalingGroup name not found - ${form === 'null' ? 'null' : `AutoScalingGroup '${name}' not found`}`);
}

export function requireGroup(ctx: Ctx, name: unknown, form: 'null' | 'named' = 'named'): GroupRecord {
  const group = ctx.state.groups[String(name)];
  if (!group) groupNotFound(String(name), form);
  return group;
}

/** "An Instance Refresh is already in progress and blocks the execution of this Instance Refresh." (AWS CLI output quoted in several repositories.) */
export function refreshInProgress(): never {
  return fail('InstanceRefreshInProgress', 'An Instance Refresh is already in progress and blocks the execution of this Instance Refresh.');
}

/** "No in progress or pending Instance Refresh found for Auto Scaling group <name>" (message matched by a boto3 caller; tail UNVERIFIED). */
export function noActiveRefresh(group: string): never {
  return fail('ActiveInstanceRefreshNotFound', `No in progress or pending Instance Refresh found for Auto Scaling group ${group}`);
}

/** The model's description of IrreversibleInstanceRefreshFault (AWS's exact wording UNVERIFIED). */
export function irreversibleRefresh(why: string): never {
  return fail('IrreversibleInstanceRefresh', `The request failed because ${why}.`);
}
