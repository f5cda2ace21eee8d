import type { WorldSeed } from '../seed.js';

/**
 * The demo's world: one Lambda function behind an alias taking 50 requests a second, a healthy new version and
 * a broken one (30% errors), and the alarm a team would have on the alias's error rate.
 */
export const DEMO_WORLD: WorldSeed = {
  seed: 42,
  versions: {
    'checkout-v1': { errorRate: 0.001, latencyMs: 80 },
    'checkout-v2': { errorRate: 0.001, latencyMs: 75 },
    'checkout-v3-broken': { errorRate: 0.3, latencyMs: 120 },
  },
  lambda: {
    settleSeconds: 0,
    functions: [
      {
        name: 'checkout',
        versions: [
          { version: 1, artifact: 'checkout-v1', description: 'current release' },
          { version: 2, artifact: 'checkout-v2', description: 'healthy new release' },
          { version: 3, artifact: 'checkout-v3-broken', description: 'broken release' },
        ],
        aliases: [{ name: 'live', version: 1, description: 'production' }],
      },
    ],
  },
  cloudwatch: {
    alarms: [
      {
        name: 'checkout-live-error-rate',
        metrics: [
          { id: 'errors', namespace: 'AWS/Lambda', metric: 'Errors', dimensions: { FunctionName: 'checkout', Resource: 'checkout:live' }, stat: 'Sum', period: 60 },
          { id: 'calls', namespace: 'AWS/Lambda', metric: 'Invocations', dimensions: { FunctionName: 'checkout', Resource: 'checkout:live' }, stat: 'Sum', period: 60 },
          { id: 'rate', expression: '100 * errors / calls', label: 'error %' },
        ],
        evaluationPeriods: 1,
        threshold: 1,
        comparison: '>',
        treatMissingData: 'notBreaching',
        description: 'more than 1% of checkout:live invocations fail',
      },
    ],
  },
  traffic: [{ service: 'lambda', resource: 'checkout:live', rps: 50 }],
};
