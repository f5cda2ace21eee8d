import { ElasticLoadBalancingV2Client, DescribeListenersCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { GetAliasCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { describe, expect, it, vi } from 'vitest';
import { SimTransportError } from '../../../src/sim/protocol/index.js';
import type { SimCall } from '../../../src/sim/protocol/index.js';
import { failureOf, recorder, settleWithFakeTimers, simClientConfig } from './simClient.js';



describe('transport failures reject like the Node HTTP handler and are retried', () => {
  it.each([
    ['timeout', { name: 'TimeoutError' }],
    ['reset', { name: 'TimeoutError', code: 'ECONNRESET' }],
    ['refused', { code: 'ECONNREFUSED' }],
  ] as const)('%s', async (kind, expected) => {
    const world = recorder(() => {
      throw new SimTransportError(kind);
    });
    const client = new ElasticLoadBalancingV2Client(simClientConfig(world.dispatch));

    const error = await failureOf(() => client.send(new DescribeListenersCommand({})));

    expect(error).toMatchObject(expected);
    expect(error['$response']).toBeUndefined();
    expect(world.calls).toHaveLength(3);
  });

  it('a retry after a timeout succeeds when the world recovers', async () => {
    const world = recorder((call: SimCall) => {
      if (call.attempt === 1) throw new SimTransportError('timeout');
      return { AliasArn: 'arn:alias', Name: 'live', FunctionVersion: '3' };
    });
    const client = new LambdaClient(simClientConfig(world.dispatch));
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });

    const output = await settleWithFakeTimers(client.send(new GetAliasCommand({ FunctionName: 'checkout', Name: 'live' }))).finally(() => vi.useRealTimers());

    expect(output).toMatchObject({ Name: 'live', $metadata: { attempts: 2 } });
  });
});

describe('abort signals', () => {
  it('an already aborted request never reaches the world', async () => {
    const world = recorder(() => ({}));
    const client = new ElasticLoadBalancingV2Client(simClientConfig(world.dispatch));
    const controller = new AbortController();
    controller.abort();

    await expect(client.send(new DescribeListenersCommand({}), { abortSignal: controller.signal })).rejects.toMatchObject({ name: 'AbortError' });
    expect(world.calls).toHaveLength(0);
  });

  it('aborting while the world is still working rejects with AbortError', async () => {
    const controller = new AbortController();
    const world = recorder(() => {
      controller.abort();
      return new Promise(() => undefined); // the world never answers
    });
    const client = new ElasticLoadBalancingV2Client(simClientConfig(world.dispatch));

    await expect(client.send(new DescribeListenersCommand({}), { abortSignal: controller.signal })).rejects.toMatchObject({ name: 'AbortError' });
    expect(world.calls).toHaveLength(1);
  });
});

describe('errors that are not AWS errors', () => {
  it('a bug in the world rejects with the original error instead of becoming a response', async () => {
    const bug = new TypeError('world exploded');
    const world = recorder(() => {
      throw bug;
    });
    const client = new ElasticLoadBalancingV2Client({ ...simClientConfig(world.dispatch), maxAttempts: 1 });

    await expect(client.send(new DescribeListenersCommand({}))).rejects.toBe(bug);
  });
});
