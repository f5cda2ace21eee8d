/**
 * Errors the wire layer itself returns for requests that never reach the world: invalid input, unknown
 * operations and unreadable bodies, with the code and status each real service uses.
 */
import { SimServiceError } from './errors.js';
import type { ServiceName, WireProtocol } from './serviceRegistry.js';

/**
 * Code for input that breaks the model's constraints (required, enum, min/max, length, pattern).
 * Sources, all HTTP 400:
 * - elbv2, autoscaling, cloudwatch: `ValidationError`, the awsQuery services' code for bad parameters
 *   ("ValidationError ... status code: 400" from ELB and Auto Scaling in ulamlabs/terraform-aws-rabbitmq#12,
 *   ansible-collections/amazon.aws#1600; "Error Code: ValidationError" from AmazonCloudWatch in
 *   cloudtools/troposphere#1276 and aws-cloudformation/cfn-lint#771; the "1 validation error detected ...
 *   at 'stackName'" wording from the awsQuery CloudFormation API in humanmade/cf-to-tf#5).
 * - lambda: `ValidationException` ("Error Code: ValidationException ... at 'functionName' failed to satisfy
 *   constraint: Member must satisfy regular expression pattern", awslabs/aws-transit-vpc#32,
 *   aarondfrancis/sidecar#147). Not in the Lambda model, so the SDK raises LambdaServiceException named so.
 * - dynamodb: `ValidationException` (com.amazon.coral.validate#ValidationException; DynamoDB documents it
 *   as a common error).
 * - route53: `InvalidInput`, the modeled error of every Route 53 operation for bad input. Real Route 53
 *   words body violations as XML schema errors ("Invalid XML ; cvc-maxInclusive-valid: ...",
 *   hashicorp/terraform-provider-aws#7606); the simulator keeps the uniform Coral wording.
 * - ecs: `InvalidParameterException`, the modeled ECS error for invalid parameters; ECS reports its own
 *   parameter checks that way ("InvalidParameterException ... Cluster must match ^[a-zA-Z0-9\-_]{1,255}$",
 *   awslabs/amazon-ecs-nodejs-microservices#18). UNVERIFIED for pure model constraints.
 */
const VALIDATION_ERROR_CODES: Readonly<Record<ServiceName, string>> = {
  elbv2: 'ValidationError',
  autoscaling: 'ValidationError',
  cloudwatch: 'ValidationError',
  lambda: 'ValidationException',
  dynamodb: 'ValidationException',
  route53: 'InvalidInput',
  ecs: 'InvalidParameterException',
};

export function validationErrorCode(service: ServiceName): string {
  return VALIDATION_ERROR_CODES[service];
}

/** AWS's summary: "1 validation error detected: a" or "2 validation errors detected: a; b". */
export function validationFailure(service: ServiceName, messages: readonly string[]): SimServiceError {
  const count = messages.length;
  const summary = `${count} validation error${count === 1 ? '' : 's'} detected: ${messages.join('; ')}`;
  return new SimServiceError(validationErrorCode(service), summary, { httpStatus: 400, type: 'Sender' });
}

/** Unreadable body or a value of the wrong type. JSON services answer with SerializationException. */
export function malformedRequestFailure(service: ServiceName, protocol: WireProtocol, message: string): SimServiceError {
  const code = protocol === 'json' || protocol === 'rest-json' ? 'SerializationException' : validationErrorCode(service);
  return new SimServiceError(code, message, { httpStatus: 400, type: 'Sender' });
}

/**
 * No such operation: awsQuery answers `InvalidAction` (400), JSON RPC services Coral's
 * `UnknownOperationException` (400), REST services a 404 for a path no operation owns.
 */
export function unknownOperationFailure(protocol: WireProtocol, detail: string): SimServiceError {
  if (protocol === 'query') return new SimServiceError('InvalidAction', detail, { httpStatus: 400, type: 'Sender' });
  const httpStatus = protocol === 'json' ? 400 : 404;
  return new SimServiceError('UnknownOperationException', detail, { httpStatus, type: 'Sender' });
}
