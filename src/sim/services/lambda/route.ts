/**
 * The traffic model: requests to `<function>` ($LATEST), `<function>:<version>` or `<function>:<alias>`. A
 * weighted alias sends rps × (1 − w) to its primary version and rps × w to the additional one. Each flow counts
 * into AWS/Lambda Invocations, Errors and Duration with Lambda's dimension sets: {FunctionName}; for qualified
 * calls {FunctionName, Resource}; for aliases also {FunctionName, Resource, ExecutedVersion} ("ExecutedVersion
 * ... only applies to alias invocations").
 */
import type { Flow, MetricSeries, ServiceContext } from '../../types.js';
import { versionLabel } from './code.js';
import { isVersionNumber, LATEST, parseFunctionName } from './names.js';
import { trafficKey } from './resolve.js';
import type { FunctionRecord, LambdaState, VersionRecord } from './state.js';

function series(dimensions: Record<string, string>): MetricSeries {
  return { namespace: 'AWS/Lambda', dimensions, requests: 'Invocations', errors: ['Errors'], latency: { name: 'Duration', unit: 'Milliseconds' } };
}

/** One flow of `rps` requests executed by `version`, counted under `resource` (undefined for unqualified calls). */
function flowOf(ctx: ServiceContext<LambdaState>, fn: FunctionRecord, version: VersionRecord, rps: number, resource: string | undefined, viaAlias: boolean): Flow {
  const label = versionLabel(ctx.world, version.code);
  const app = ctx.world.version(label);
  const dims = [series({ FunctionName: fn.name })];
  if (resource) dims.push(series({ FunctionName: fn.name, Resource: resource }));
  if (resource && viaAlias) dims.push(series({ FunctionName: fn.name, Resource: resource, ExecutedVersion: version.version }));
  // A version whose app cannot start fails every invocation.
  return { rps, version: label, errorRate: app.healthy ? app.errorRate : 1, latencyMs: app.latencyMs, series: dims };
}

export function routeLambda(ctx: ServiceContext<LambdaState>, resource: string, rps: number, depend: (key: string) => void): Flow[] {
  const ref = parseFunctionName(resource);
  const qualifier = ref.qualifier ?? LATEST;
  depend(trafficKey(ref.name, qualifier));
  if (qualifier !== LATEST) depend(trafficKey(ref.name));
  const fn = ctx.state.functions[ref.name];
  if (!fn) return [];
  const qualified = ref.qualifier === undefined ? undefined : `${fn.name}:${ref.qualifier}`;
  if (qualifier === LATEST) return [flowOf(ctx, fn, fn.latest, rps, qualified, false)];
  if (isVersionNumber(qualifier)) {
    const version = fn.versions[qualifier];
    return version ? [flowOf(ctx, fn, version, rps, qualified, false)] : [];
  }
  const alias = fn.aliases[qualifier];
  if (!alias) return [];
  const primary = alias.functionVersion === LATEST ? fn.latest : fn.versions[alias.functionVersion];
  const [additional, weight = 0] = Object.entries(alias.routing)[0] ?? [];
  const extra = additional === undefined ? undefined : fn.versions[additional];
  const flows: Flow[] = [];
  if (primary) flows.push(flowOf(ctx, fn, primary, rps * (1 - (extra ? weight : 0)), qualified, true));
  if (extra) flows.push(flowOf(ctx, fn, extra, rps * weight, qualified, true));
  return flows.filter((flow) => flow.rps > 0);
}
