/** Layer 2 set-up: the Lambda provider against the simulated world, through a real SDK client and the engine. */
import { GetAliasCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { ClockRetryStrategy } from '../../../src/aws/retry.js';
import { parseFault } from '../../../src/sim/faults.js';
import type { WorldSeed } from '../../../src/sim/seed.js';
import { lambdaService } from '../../../src/sim/services/lambda/index.js';
import { createLambdaProvider, type LambdaTargetSpec } from '../../../src/providers/lambda/index.js';
import type { Plan } from '../../../src/strategies/types.js';
import { harness } from '../../fakes/harness.js';
import type { Gate } from '../../../src/gates/types.js';
import { clientConfig, simWorld, T0 } from '../../sim/simFixture.js';
import { canaryPlan } from '../../fakes/plans.js';

export { T0 };

export const ACCOUNT = '123456789012';

export const CANARY: Plan = canaryPlan(60);

/** checkout: versions 1 and 2 (same role), $LATEST at a third artifact, alias live → 1 with a description. */
export function lambdaSection(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    settleSeconds: 5,
    functions: [
      {
        name: 'checkout',
        role: `arn:aws:iam::${ACCOUNT}:role/checkout`,
        latest: 'app-v3',
        versions: [
          { version: 1, artifact: 'app-v1' },
          { version: 2, artifact: 'app-v2' },
        ],
        aliases: [{ name: 'live', version: 1, description: 'production' }],
        ...overrides,
      },
    ],
  };
}

export interface LambdaSimOptions {
  readonly section?: Record<string, unknown>;
  readonly target?: LambdaTargetSpec;
  readonly faults?: readonly string[];
  readonly gates?: readonly Gate[];
  readonly seed?: Partial<WorldSeed>;
}

/**
 * A world with Lambda only (API limits off; faults as given), a client that retries like production (on the
 * world's clock, jitter fixed), the provider, and the engine's harness around it.
 */
export function lambdaSim(options: LambdaSimOptions = {}) {
  const { world, clock } = simWorld([lambdaService], { apiLimits: false, lambda: options.section ?? lambdaSection(), ...options.seed });
  const { maxAttempts: _one, ...config } = clientConfig(world);
  const client = new LambdaClient({ ...config, retryStrategy: new ClockRetryStrategy(clock, { forward: 3, rollback: 10 }, () => 0.5) });
  for (const fault of options.faults ?? []) world.addFault(parseFault(fault));
  const target = options.target ?? { type: 'lambda', functionName: 'checkout', alias: 'live', toVersion: 2 };
  const provider = createLambdaProvider(target, { client, plan: CANARY, restore: { attempts: 5, backoffMs: 500 }, wait: { pollMs: 5000, timeoutMs: 300_000 } });
  const h = harness({ traffic: [provider], clock, gates: options.gates ?? [], settings: { pollSeconds: 10 } });
  const alias = async () => client.send(new GetAliasCommand({ FunctionName: 'checkout', Name: 'live' }));
  /** Calls the world answered, per operation (every attempt, whatever its outcome). */
  const calls = () => {
    const counts: Record<string, number> = {};
    for (const call of world.state.calls.filter((c) => c.service === 'lambda')) counts[call.operation] = (counts[call.operation] ?? 0) + 1;
    return counts;
  };
  return { world, clock, client, provider, h, alias, calls };
}
