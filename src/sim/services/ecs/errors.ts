import { fail } from '../common.js';

/**
 * ECS errors for semantic violations. Codes come from the model (ecs.json, all HTTP 400); the messages are the
 * ones AWS returns, as seen in real responses quoted by users and tools:
 * - "Cluster not found." / "Service not found." (moto's ECS backend and many CLI transcripts);
 * - "Service was not ACTIVE." (ServiceNotActiveException on UpdateService of a deleted service);
 * - "Creation of service was not idempotent." (InvalidParameterException, terraform/CLI reports);
 * - "The service cannot be stopped while it is scaled above 0." (DeleteService without force);
 * - "Unable to describe task definition." (DescribeTaskDefinition of an unknown one),
 *   "TaskDefinition not found." / "TaskDefinition is inactive" (UpdateService/RunTask, ClientException),
 *   "The specified task definition does not exist." (DeregisterTaskDefinition, cloud-custodian's ECS code).
 * Where no AWS wording could be found the message says what is wrong in AWS's style (marked UNVERIFIED).
 */

export function clusterNotFound(): never {
  return fail('ClusterNotFoundException', 'Cluster not found.');
}

export function serviceNotFound(): never {
  return fail('ServiceNotFoundException', 'Service not found.');
}

export function serviceNotActive(): never {
  return fail('ServiceNotActiveException', 'Service was not ACTIVE.');
}

export function invalidParameter(message: string): never {
  return fail('InvalidParameterException', message);
}

export function clientError(message: string): never {
  return fail('ClientException', message);
}

export function taskDefinitionNotFound(): never {
  return clientError('TaskDefinition not found.');
}

export function conflict(message: string, resourceIds: readonly string[]): never {
  return fail('ConflictException', message, { extra: { resourceIds: [...resourceIds] } });
}

/** UNVERIFIED wording. */
export function serviceDeploymentNotFound(arn: string): never {
  return fail('ServiceDeploymentNotFoundException', `The service deployment ${arn} does not exist.`);
}
