import { fail } from '../common.js';
import type { Route53State, HostedZone } from './state.js';
import { bareZoneId } from './names.js';

/** Route 53's own wording, from real responses quoted in public issues (see the service report for sources). */

export function noSuchHostedZone(id: string): never {
  return fail('NoSuchHostedZone', `No hosted zone found with ID: ${id}`, { httpStatus: 404 });
}

export function invalidInput(message: string): never {
  return fail('InvalidInput', message, { httpStatus: 400 });
}

/**
 * The modern InvalidChangeBatch: the standard restXml envelope with one message that is a bracketed,
 * comma-separated list of every problem in the batch (Route 53 since about Oct 2024; aws-sdk-kotlin#1433/#1435).
 */
export function invalidChangeBatch(messages: readonly string[]): never {
  return fail('InvalidChangeBatch', `[${messages.join(', ')}]`, { httpStatus: 400 });
}

export function priorRequestNotComplete(): never {
  return fail('PriorRequestNotComplete', 'The request was rejected because Route 53 was still processing a prior request', { httpStatus: 400 });
}

export function zoneOrFail(state: Route53State, id: unknown): HostedZone {
  const bare = bareZoneId(String(id));
  return state.zones[bare] ?? noSuchHostedZone(bare);
}
