/**
 * Lambda's errors with the messages AWS sends. Status codes come from the model (404, 409, 412, 400); the wire
 * layer adds `Type: User` for sender faults, as Lambda does.
 */
import { fail } from '../common.js';

/** "Function not found: <arn>" — unknown function, version or qualifier (GetFunction, Invoke, CreateAlias...). */
export function functionNotFound(arn: string): never {
  return fail('ResourceNotFoundException', `Function not found: ${arn}`);
}

/** GetAlias of an unknown alias. */
export function aliasNotFoundOnGet(arn: string): never {
  return fail('ResourceNotFoundException', `Cannot find alias arn: ${arn}`);
}

/** UpdateAlias of an unknown alias. */
export function aliasNotFoundOnUpdate(arn: string): never {
  return fail('ResourceNotFoundException', `Alias not found: ${arn}`);
}

export function invalidParameter(message: string): never {
  return fail('InvalidParameterValueException', message);
}

export function conflict(message: string): never {
  return fail('ResourceConflictException', message);
}

export function revisionMismatch(): never {
  return fail('PreconditionFailedException', 'The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id');
}

/** A change while the previous one is still being applied (LastUpdateStatus InProgress). */
export function updateInProgress(arn: string): never {
  return conflict(`The operation cannot be performed at this time. An update is in progress for resource: ${arn}`);
}

/** A change while the function is still being created (State Pending). */
export function stillCreating(arn: string): never {
  return conflict(`The operation cannot be performed at this time. The resource ${arn} is currently in the following state: 'Pending'. StateReasonCode: 'Creating'`);
}
