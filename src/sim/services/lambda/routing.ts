/**
 * Alias routing (weighted aliases): an alias points to a primary version and at most one additional version
 * that gets weight w; the primary gets 1 - w. Rules from the Lambda developer guide ("Alias routing
 * configuration"): at most two versions, both published, same execution role, same dead-letter queue config.
 */
import type { ServiceContext } from '../../types.js';
import { invalidParameter } from './errors.js';
import { LATEST } from './names.js';
import { versionNamed } from './resolve.js';
import type { FunctionRecord, LambdaState } from './state.js';

/** The AdditionalVersionWeights map of a RoutingConfig input; `{}` or no map clears routing. */
export function routingFromInput(routingConfig: unknown): Record<string, number> {
  const weights = (routingConfig as { AdditionalVersionWeights?: Record<string, number> } | undefined)?.AdditionalVersionWeights;
  return { ...(weights ?? {}) };
}

/** Throws InvalidParameterValueException (or ResourceNotFoundException) unless the alias may route so. */
export function validateRouting(ctx: ServiceContext<LambdaState>, fn: FunctionRecord, primary: string, routing: Readonly<Record<string, number>>): void {
  const entries = Object.entries(routing);
  if (entries.length === 0) return;
  // Message as LocalStack's AWS-validated snapshots record it.
  if (entries.length > 1) invalidParameter('Number of items in AdditionalVersionWeights cannot be greater than 1');
  const [additional, weight] = entries[0]!;
  if (!/^[0-9]+$/.test(additional)) invalidParameter(`Invalid version ${additional} in AdditionalVersionWeights: only published version numbers can take weighted traffic.`);
  if (!Number.isFinite(weight) || weight < 0 || weight > 1) invalidParameter(`Weight ${weight} of version ${additional} must be between 0.0 and 1.0.`);
  // UNVERIFIED in AWS documentation; wording from LocalStack's AWS-validated snapshots.
  if (additional === primary) invalidParameter(`Invalid function version ${primary}. Function version ${primary} is already included in routing configuration.`);
  if (primary === LATEST) invalidParameter('$LATEST is not supported for an alias pointing to more than 1 version');
  const main = versionNamed(ctx, fn, primary);
  const extra = versionNamed(ctx, fn, additional);
  if (main.settings.role !== extra.settings.role) invalidParameter('Specified versions must be associated with the same execution role');
  // UNVERIFIED wording: the rule is documented, the message is not.
  if ((main.settings.deadLetterTarget ?? '') !== (extra.settings.deadLetterTarget ?? '')) {
    invalidParameter('Specified versions must be associated with the same dead-letter queue configuration');
  }
}
