/** Shared set-up for the Lambda service tests: a seeded world on a virtual clock and a real SDK client. */
import { LambdaClient } from '@aws-sdk/client-lambda';
import { expect } from 'vitest';
import type { WorldSeed } from '../../../../src/sim/seed.js';
import { lambdaService, type LambdaState } from '../../../../src/sim/services/lambda/index.js';
import { clientConfig, simWorld } from '../../simFixture.js';

export const ACCOUNT = '123456789012';
export const ARN_PREFIX = `arn:aws:lambda:us-east-1:${ACCOUNT}:function`;

/** A world with only Lambda (API rate limits off unless a test turns them on). */
export function lambdaWorld(section?: unknown, extra: Partial<WorldSeed> = {}) {
  const seed: WorldSeed = { apiLimits: false, ...(section === undefined ? {} : { lambda: section }), ...extra };
  const { world, clock } = simWorld([lambdaService], seed);
  const client = new LambdaClient(clientConfig(world));
  return { world, clock, client, state: () => world.stateOf<LambdaState>('lambda') };
}

/** Two published versions (different artifacts), $LATEST at v2, alias live -> 1; applied changes settle at once. */
export const CHECKOUT = {
  settleSeconds: 0,
  functions: [
    {
      name: 'checkout',
      role: `arn:aws:iam::${ACCOUNT}:role/checkout`,
      versions: [
        { version: 1, artifact: 'app-v1' },
        { version: 2, artifact: 'app-v2' },
      ],
      aliases: [{ name: 'live', version: 1 }],
    },
  ],
};

interface SdkError {
  readonly name: string;
  readonly message: string;
  readonly $metadata: { readonly httpStatusCode?: number };
}

/** Awaits a rejected SDK call and checks the modeled exception class, status and message. */
export async function expectAwsError(call: Promise<unknown>, name: string, status: number, message?: string | RegExp): Promise<SdkError> {
  const error = (await call.then(
    () => {
      throw new Error(`expected ${name}, but the call succeeded`);
    },
    (e: unknown) => e,
  )) as SdkError;
  expect(error.name).toBe(name);
  expect(error.$metadata.httpStatusCode).toBe(status);
  if (typeof message === 'string') expect(error.message).toBe(message);
  else if (message) expect(error.message).toMatch(message);
  return error;
}

export const zip = (text: string): Uint8Array => new TextEncoder().encode(text);
