import { InvokeCommand, UpdateAliasCommand } from '@aws-sdk/client-lambda';
import { describe, expect, it } from 'vitest';
import { ARN_PREFIX, expectAwsError, lambdaWorld } from './fixture.js';

const HOOKS = {
  settleSeconds: 0,
  functions: [
    { name: 'smoke', versions: [{ version: 1, artifact: 'smoke-v1' }] },
    {
      name: 'checks',
      invoke: { payload: { status: 'Failed', reason: 'latency too high' }, functionError: 'Unhandled' },
      versions: [
        { version: 1, artifact: 'checks-v1', invoke: { payload: { status: 'Succeeded', version: 1 } } },
        { version: 2, artifact: 'checks-v2' },
      ],
      aliases: [{ name: 'live', version: 1 }],
    },
  ],
};

const text = (payload: Uint8Array | undefined): string => new TextDecoder().decode(payload);

describe('Lambda Invoke', () => {
  it('returns the default payload {"status":"Succeeded"} with status 200 and the executed version', async () => {
    const { client } = lambdaWorld(HOOKS);

    const result = await client.send(new InvokeCommand({ FunctionName: 'smoke', Payload: new TextEncoder().encode('{"hook":"BeforeAllowTraffic"}') }));

    expect(result).toMatchObject({ StatusCode: 200, ExecutedVersion: '$LATEST' });
    expect(result.FunctionError).toBeUndefined();
    expect(JSON.parse(text(result.Payload))).toEqual({ status: 'Succeeded' });
  });

  it('returns what the world file declares, per version first, then per function', async () => {
    const { client } = lambdaWorld(HOOKS);

    const v1 = await client.send(new InvokeCommand({ FunctionName: 'checks', Qualifier: '1' }));
    const v2 = await client.send(new InvokeCommand({ FunctionName: 'checks:2' }));

    expect(JSON.parse(text(v1.Payload))).toEqual({ status: 'Succeeded', version: 1 });
    expect(v1.FunctionError).toBeUndefined();
    expect(v2).toMatchObject({ StatusCode: 200, FunctionError: 'Unhandled', ExecutedVersion: '2' });
    expect(JSON.parse(text(v2.Payload))).toEqual({ status: 'Failed', reason: 'latency too high' });
  });

  it('runs the version an alias points to, following its weights', async () => {
    const { client } = lambdaWorld(HOOKS);
    const viaAlias = () => client.send(new InvokeCommand({ FunctionName: `${ARN_PREFIX}:checks:live` }));

    expect((await viaAlias()).ExecutedVersion).toBe('1');
    await client.send(new UpdateAliasCommand({ FunctionName: 'checks', Name: 'live', RoutingConfig: { AdditionalVersionWeights: { '2': 1 } } }));
    expect((await viaAlias()).ExecutedVersion).toBe('2');
    await client.send(new UpdateAliasCommand({ FunctionName: 'checks', Name: 'live', RoutingConfig: { AdditionalVersionWeights: { '2': 0.5 } } }));
    const executed = new Set<string | undefined>();
    for (let i = 0; i < 40; i++) executed.add((await viaAlias()).ExecutedVersion);
    expect([...executed].sort()).toEqual(['1', '2']);
  });

  it('answers 202 for Event, 204 for DryRun, and a base64 log tail for LogType Tail', async () => {
    const { client } = lambdaWorld(HOOKS);

    const event = await client.send(new InvokeCommand({ FunctionName: 'smoke', InvocationType: 'Event' }));
    const dry = await client.send(new InvokeCommand({ FunctionName: 'smoke', InvocationType: 'DryRun' }));
    const tail = await client.send(new InvokeCommand({ FunctionName: 'smoke', Qualifier: '1', LogType: 'Tail' }));

    expect(event.StatusCode).toBe(202);
    expect(event.Payload?.length ?? 0).toBe(0);
    expect(dry.StatusCode).toBe(204);
    expect(Buffer.from(tail.LogResult ?? '', 'base64').toString()).toMatch(/^START RequestId: [0-9a-f-]{36} Version: 1\nEND RequestId: .*\nREPORT RequestId: .*Duration: 60\.00 ms/);
  });

  it('answers ResourceNotFoundException for an unknown function, version or alias', async () => {
    const { client } = lambdaWorld(HOOKS);

    await expectAwsError(client.send(new InvokeCommand({ FunctionName: 'nope' })), 'ResourceNotFoundException', 404, `Function not found: ${ARN_PREFIX}:nope`);
    await expectAwsError(client.send(new InvokeCommand({ FunctionName: 'checks', Qualifier: '3' })), 'ResourceNotFoundException', 404, `Function not found: ${ARN_PREFIX}:checks:3`);
    await expectAwsError(client.send(new InvokeCommand({ FunctionName: 'checks', Qualifier: 'beta' })), 'ResourceNotFoundException', 404, `Function not found: ${ARN_PREFIX}:checks:beta`);
  });
});
