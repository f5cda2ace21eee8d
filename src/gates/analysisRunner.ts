import type { CloudWatchClient, MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import type { AnalysisSpec } from '../config/schema.js';
import type { AnalysisRunner, AnalysisVerdict, HookContext } from '../engine/runtime.js';
import { DeployError, InputError } from '../errors.js';
import type { Clock } from '../time/clock.js';
import { formatDuration, parseDuration } from '../util/duration.js';
import { compareCanary } from './canaryScore.js';
import { finiteValues, getMetricData, metricStatQuery } from './metricData.js';
import { createMetricGate } from './metricGate.js';

/**
 * Without a window, a compare analysis looks back minSamples + 2 periods (12 minutes for the defaults: ten 60 s
 * datapoints): CloudWatch publishes load balancer and Lambda metrics a minute or two late, and a window of
 * exactly minSamples periods would then never hold enough datapoints.
 */
export const SPARE_PERIODS = 2;

interface AnalysisDeps {
  readonly client: CloudWatchClient;
  readonly clock: Clock;
}

type RunAnalysis = (ctx: HookContext) => Promise<AnalysisVerdict>;

/**
 * Named analyses run as plan steps: `compare` (canary vs baseline, Mann-Whitney, scored 0..100) or `threshold`
 * (a metric gate run once). Specs are checked when the runner is built, so a bad one stops the deployment before
 * anything is written.
 */
export function createAnalysisRunner(analyses: Readonly<Record<string, AnalysisSpec>>, deps: AnalysisDeps): AnalysisRunner {
  const runners = new Map<string, RunAnalysis>(Object.entries(analyses).map(([name, spec]) => [name, buildAnalysis(name, spec, deps)]));
  return {
    names: [...runners.keys()],
    async run(name, ctx) {
      const run = runners.get(name);
      if (!run) throw new DeployError('BAD_INPUT', `no analysis named ${name}; defined: ${[...runners.keys()].join(', ') || 'none'}`);
      return run(ctx);
    },
  };
}

function buildAnalysis(name: string, spec: AnalysisSpec, deps: AnalysisDeps): RunAnalysis {
  const where = `analyses.${name}`;
  switch (spec.type) {
    case 'threshold':
      return buildThreshold(where, spec, deps);
    case 'compare':
      return buildCompare(where, spec, deps);
    default: {
      const never: never = spec.type;
      throw new InputError(`${where}.type`, never, 'use compare or threshold');
    }
  }
}

function buildThreshold(where: string, spec: AnalysisSpec, deps: AnalysisDeps): RunAnalysis {
  if (!spec.gate) throw new InputError(`${where}.gate`, undefined, 'a threshold analysis needs a gate (a metric threshold gate spec)');
  const gate = createMetricGate(spec.gate, deps);
  return async (ctx) => {
    const result = await gate.check({ deploymentId: ctx.deploymentId, signal: ctx.signal, stepIndex: ctx.stepIndex, weight: ctx.weight });
    if (result.type === 'ok') return { verdict: 'pass', detail: result.detail ?? `${gate.name} ok` };
    return { verdict: result.type === 'alarm' ? 'fail' : 'inconclusive', detail: result.reason };
  };
}

function buildCompare(where: string, spec: AnalysisSpec, deps: AnalysisDeps): RunAnalysis {
  if (!spec.canary) throw new InputError(`${where}.canary`, undefined, 'a compare analysis needs the canary metric (namespace, metricName, dimensions, stat)');
  if (!spec.baseline) throw new InputError(`${where}.baseline`, undefined, 'a compare analysis needs the baseline metric (namespace, metricName, dimensions, stat)');
  const queries: MetricDataQuery[] = [metricStatQuery('canary', spec.canary, true, `${where}.canary`), metricStatQuery('baseline', spec.baseline, true, `${where}.baseline`)];
  const periodSeconds = Math.max(...queries.map((q) => q.MetricStat?.Period ?? 60));
  const periodMs = periodSeconds * 1000;
  const windowSeconds = spec.window === undefined ? (Math.max(1, spec.minSamples) + SPARE_PERIODS) * periodSeconds : parseDuration(spec.window, `${where}.window`);
  if (windowSeconds <= 0) throw new InputError(`${where}.window`, spec.window, 'use a window longer than 0s, for example 10m');
  const options = { direction: spec.direction, tolerance: spec.tolerance, minScore: spec.minScore, minSamples: spec.minSamples };

  return async (ctx) => {
    // Whole periods only: a partial last period would add a low, noisy datapoint to each side.
    const end = Math.floor(deps.clock.now() / periodMs) * periodMs;
    const data = await getMetricData(deps.client, queries, { start: end - windowSeconds * 1000, end }, ctx.signal);
    const result = compareCanary(finiteValues(data.get('canary')), finiteValues(data.get('baseline')), options);
    return { verdict: result.verdict, detail: `${result.detail} over the last ${formatDuration(windowSeconds)}` };
  };
}
