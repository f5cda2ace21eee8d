/**
 * CreateAlias, GetAlias, UpdateAlias, DeleteAlias, ListAliases. Every change gives the alias a new RevisionId
 * and marks its traffic as changed.
 */
import type { OperationHandler, ServiceContext } from '../../types.js';
import { newRevisionId } from './config.js';
import { aliasNotFoundOnGet, aliasNotFoundOnUpdate, conflict, invalidParameter, revisionMismatch } from './errors.js';
import { findFunction, functionArn } from './names.js';
import { pageOf } from './pages.js';
import { trafficKey, versionNamed } from './resolve.js';
import { routingFromInput, validateRouting } from './routing.js';
import type { AliasRecord, FunctionRecord, LambdaState } from './state.js';

/** UNVERIFIED: AWS documents no page size for ListAliases; the simulator uses ListVersionsByFunction's 50. */
const ALIASES_PER_PAGE = 50;

export function aliasOutput(ctx: ServiceContext<LambdaState>, fn: FunctionRecord, alias: AliasRecord): Record<string, unknown> {
  const routing = Object.keys(alias.routing).length > 0 ? { RoutingConfig: { AdditionalVersionWeights: { ...alias.routing } } } : {};
  return {
    AliasArn: functionArn(ctx, fn.name, alias.name),
    Name: alias.name,
    FunctionVersion: alias.functionVersion,
    Description: alias.description,
    ...routing,
    RevisionId: alias.revisionId,
  };
}

/** Applies a change to an alias: new RevisionId, and traffic through it is recomputed. */
export function aliasChanged(ctx: ServiceContext<LambdaState>, fn: FunctionRecord, alias: AliasRecord): void {
  alias.revisionId = newRevisionId(ctx);
  ctx.touch(trafficKey(fn.name, alias.name));
}

const createAlias: OperationHandler<LambdaState> = (ctx, input) => {
  const { fn } = findFunction(ctx, input.FunctionName);
  const name = String(input.Name);
  // The model's pattern forbids all-digit names; checked here too for calls that bypass the wire.
  if (/^[0-9]+$/.test(name)) invalidParameter(`Alias name ${name} is not valid: an alias name cannot consist of digits only.`);
  const primary = String(input.FunctionVersion);
  versionNamed(ctx, fn, primary);
  if (fn.aliases[name]) conflict(`Alias already exists: ${functionArn(ctx, fn.name, name)}`);
  const routing = routingFromInput(input.RoutingConfig);
  validateRouting(ctx, fn, primary, routing);
  const alias: AliasRecord = { name, functionVersion: primary, description: typeof input.Description === 'string' ? input.Description : '', routing, revisionId: '' };
  fn.aliases[name] = alias;
  aliasChanged(ctx, fn, alias);
  return aliasOutput(ctx, fn, alias);
};

const getAlias: OperationHandler<LambdaState> = (ctx, input) => {
  const { fn } = findFunction(ctx, input.FunctionName);
  const alias = fn.aliases[String(input.Name)];
  if (!alias) aliasNotFoundOnGet(functionArn(ctx, fn.name, String(input.Name)));
  return aliasOutput(ctx, fn, alias);
};

const updateAlias: OperationHandler<LambdaState> = (ctx, input) => {
  const { fn } = findFunction(ctx, input.FunctionName);
  const alias = fn.aliases[String(input.Name)];
  if (!alias) aliasNotFoundOnUpdate(functionArn(ctx, fn.name, String(input.Name)));
  if (typeof input.RevisionId === 'string' && input.RevisionId !== alias.revisionId) revisionMismatch();
  const primary = typeof input.FunctionVersion === 'string' ? input.FunctionVersion : alias.functionVersion;
  versionNamed(ctx, fn, primary);
  // Without RoutingConfig the routing stays; the result must still be a valid pair of versions.
  const routing = input.RoutingConfig === undefined ? alias.routing : routingFromInput(input.RoutingConfig);
  validateRouting(ctx, fn, primary, routing);
  alias.functionVersion = primary;
  alias.routing = { ...routing };
  if (typeof input.Description === 'string') alias.description = input.Description;
  aliasChanged(ctx, fn, alias);
  return aliasOutput(ctx, fn, alias);
};

/** Deleting an alias that does not exist succeeds (204), as measured against AWS (localstack/localstack#11878). */
const deleteAlias: OperationHandler<LambdaState> = (ctx, input) => {
  const { fn } = findFunction(ctx, input.FunctionName);
  const name = String(input.Name);
  if (fn.aliases[name]) {
    delete fn.aliases[name];
    ctx.touch(trafficKey(fn.name, name));
  }
  return undefined;
};

const listAliases: OperationHandler<LambdaState> = (ctx, input) => {
  const { fn } = findFunction(ctx, input.FunctionName);
  const version = typeof input.FunctionVersion === 'string' ? input.FunctionVersion : undefined;
  const aliases = Object.values(fn.aliases)
    .filter((alias) => version === undefined || alias.functionVersion === version)
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((alias) => aliasOutput(ctx, fn, alias));
  const { page, nextMarker } = pageOf(aliases, input.Marker, input.MaxItems, ALIASES_PER_PAGE);
  return { Aliases: page, ...(nextMarker ? { NextMarker: nextMarker } : {}) };
};

export const aliasOperations = { CreateAlias: createAlias, GetAlias: getAlias, UpdateAlias: updateAlias, DeleteAlias: deleteAlias, ListAliases: listAliases };
