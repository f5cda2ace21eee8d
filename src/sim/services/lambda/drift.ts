/**
 * The out-of-band writer fault: someone else (a human, another pipeline) changes an alias mid-rollout.
 * Params: `{ function, alias, weight?, version?, additional? }` — `version` moves the primary, `weight` sets the
 * additional version's share (0 clears routing), `additional` names that version (default: the one already
 * routed to, else the newest other published version). The change goes through the same rules as UpdateAlias
 * and gives the alias a new RevisionId, so RevisionId guards notice it.
 */
import { SimServiceError } from '../../protocol/index.js';
import type { ServiceContext } from '../../types.js';
import { aliasChanged } from './aliases.js';
import { validateRouting } from './routing.js';
import type { AliasRecord, FunctionRecord, LambdaState } from './state.js';

function text(value: unknown): string | undefined {
  return value === undefined || value === null || value === '' ? undefined : String(value);
}

/** The routing the writer leaves behind. */
function routingAfter(fn: FunctionRecord, alias: AliasRecord, primary: string, params: Readonly<Record<string, unknown>>): Record<string, number> {
  const current = Object.keys(alias.routing)[0];
  const weight = params.weight === undefined ? undefined : Number(params.weight);
  if (weight === undefined) return current === undefined || current === primary ? {} : { ...alias.routing };
  if (weight === 0) return {};
  const newestOther = Object.keys(fn.versions)
    .filter((v) => v !== primary)
    .sort((a, b) => Number(b) - Number(a))[0];
  const additional = text(params.additional) ?? (current !== undefined && current !== primary ? current : newestOther);
  return additional === undefined ? {} : { [additional]: weight };
}

function describe(fn: FunctionRecord, alias: AliasRecord): string {
  const [extra, weight] = Object.entries(alias.routing)[0] ?? [];
  const routed = extra === undefined ? 'no weighted routing' : `${Math.round((weight ?? 0) * 10000) / 100}% to version ${extra}`;
  return `an out-of-band writer set alias ${fn.name}:${alias.name} to version ${alias.functionVersion} with ${routed}`;
}

export function driftLambda(ctx: ServiceContext<LambdaState>, params: Readonly<Record<string, unknown>>): string {
  const fn = ctx.state.functions[text(params.function) ?? ''];
  const alias = fn?.aliases[text(params.alias) ?? ''];
  if (!fn || !alias) return `an out-of-band writer found no alias ${text(params.function)}:${text(params.alias)}; nothing changed`;
  const primary = text(params.version) ?? alias.functionVersion;
  const routing = routingAfter(fn, alias, primary, params);
  try {
    validateRouting(ctx, fn, primary, routing);
    if (primary !== '$LATEST' && !fn.versions[primary]) throw new SimServiceError('ResourceNotFoundException', `version ${primary} does not exist`);
  } catch (error) {
    if (!(error instanceof SimServiceError)) throw error;
    return `an out-of-band writer could not change alias ${fn.name}:${alias.name}: ${error.message}`;
  }
  alias.functionVersion = primary;
  alias.routing = routing;
  aliasChanged(ctx, fn, alias);
  return describe(fn, alias);
}
