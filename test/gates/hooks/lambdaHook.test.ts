import { InvokeCommand, LambdaClient, type InvokeCommandInput } from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { createHookRunner } from '../../../src/gates/index.js';
import { RealClock } from '../../../src/time/clock.js';

const mock = mockClient(LambdaClient);
const client = new LambdaClient({ region: 'us-east-1', credentials: { accessKeyId: 'AKID', secretAccessKey: 'secret' } });
afterEach(() => mock.reset());

const ctx = (signal = new AbortController().signal) => ({ deploymentId: 'd-7', signal, stepIndex: 1, weight: 10 });
/** Invoke's Payload is a Uint8Array (a blob adapter in the SDK's type); the hook only decodes its bytes. */
const bytes = (text: string) => new TextEncoder().encode(text) as never;
const json = (value: unknown) => bytes(JSON.stringify(value));

function hooks(timeout?: string) {
  let factoryCalls = 0;
  const runner = createHookRunner({ preTraffic: { lambda: 'checkout-smoke:live', ...(timeout ? { timeout } : {}) } }, {
    lambda: async () => {
      factoryCalls += 1;
      return client;
    },
    clock: new RealClock(),
  });
  return { runner, factoryCalls: () => factoryCalls };
}

describe('lambda hooks', () => {
  it('invoke the function synchronously with the deployment context, asking for the log tail', async () => {
    mock.on(InvokeCommand).resolves({ StatusCode: 200, Payload: json({ status: 'Succeeded' }) });
    const { runner, factoryCalls } = hooks();
    expect(factoryCalls()).toBe(0);
    expect(await runner.run('preTraffic', ctx())).toEqual({ detail: 'lambda checkout-smoke:live answered status Succeeded' });
    const call = mock.commandCalls(InvokeCommand)[0]!;
    const input: InvokeCommandInput = call.args[0].input;
    expect({ ...input, Payload: undefined }).toEqual({ FunctionName: 'checkout-smoke:live', InvocationType: 'RequestResponse', LogType: 'Tail', Payload: undefined });
    expect(JSON.parse(new TextDecoder().decode(input.Payload as Uint8Array))).toEqual({ deploymentId: 'd-7', step: 1, weight: 10, hook: 'preTraffic' });
    expect((call.args as unknown[])[1]).toEqual({ abortSignal: expect.any(AbortSignal) });
    expect(factoryCalls()).toBe(1);
  });

  it('accept Succeeded in any case', async () => {
    mock.on(InvokeCommand).resolves({ StatusCode: 200, Payload: json({ status: 'SUCCEEDED', checked: 12 }) });
    expect((await hooks().runner.run('preTraffic', ctx())).detail).toBe('lambda checkout-smoke:live answered status SUCCEEDED');
  });

  it('fail on any other status, quoting the answer', async () => {
    mock.on(InvokeCommand).resolves({ StatusCode: 200, Payload: json({ status: 'Failed', reason: '2 of 5 checks failed' }) });
    await expect(hooks().runner.run('preTraffic', ctx())).rejects.toMatchObject({
      code: 'HOOK_FAILED',
      message: 'hook preTraffic failed: lambda checkout-smoke:live answered {"status":"Failed","reason":"2 of 5 checks failed"}, not {"status":"Succeeded"}',
    });
  });

  it('fail on a FunctionError, with the error payload and the end of the function log', async () => {
    const log = ['START RequestId: 1', 'ERROR TypeError: cannot read properties of undefined', 'END RequestId: 1', 'REPORT Duration: 3 ms'].join('\n');
    mock.on(InvokeCommand).resolves({ StatusCode: 200, FunctionError: 'Unhandled', Payload: json({ errorType: 'TypeError', errorMessage: 'boom' }), LogResult: Buffer.from(log).toString('base64') });
    await expect(hooks().runner.run('preTraffic', ctx())).rejects.toMatchObject({
      code: 'HOOK_FAILED',
      message: 'hook preTraffic failed: lambda checkout-smoke:live failed (Unhandled): {"errorType":"TypeError","errorMessage":"boom"}; function log ends:\n    START RequestId: 1\n    ERROR TypeError: cannot read properties of undefined\n    END RequestId: 1\n    REPORT Duration: 3 ms',
    });
  });

  it('fail on an answer that is not JSON, or has no status', async () => {
    mock.on(InvokeCommand).resolves({ StatusCode: 200, Payload: bytes('ok') });
    await expect(hooks().runner.run('preTraffic', ctx())).rejects.toThrow('answered ok, not {"status":"Succeeded"}');
    mock.on(InvokeCommand).resolves({ StatusCode: 200, Payload: json(null) });
    await expect(hooks().runner.run('preTraffic', ctx())).rejects.toThrow('answered null, not {"status":"Succeeded"}');
  });

  it('fail when Invoke itself fails', async () => {
    mock.on(InvokeCommand).rejects(Object.assign(new Error('Function not found: arn:aws:lambda:us-east-1:123:function:checkout-smoke:live'), { name: 'ResourceNotFoundException' }));
    await expect(hooks().runner.run('preTraffic', ctx())).rejects.toMatchObject({ code: 'HOOK_FAILED', message: 'hook preTraffic failed: ResourceNotFoundException: Function not found: arn:aws:lambda:us-east-1:123:function:checkout-smoke:live' });
  });

  it('time out when the function does not answer in time', async () => {
    mock.on(InvokeCommand).callsFake(() => new Promise(() => undefined));
    const started = Date.now();
    await expect(hooks('200ms').runner.run('preTraffic', ctx())).rejects.toMatchObject({ code: 'HOOK_FAILED', message: 'hook preTraffic timed out after 200ms' });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('stop waiting when the rollout aborts', async () => {
    mock.on(InvokeCommand).callsFake(() => new Promise(() => undefined));
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    await expect(hooks().runner.run('preTraffic', ctx(controller.signal))).rejects.toMatchObject({ code: 'ABORTED' });
  });

  it('reject an unknown hook name, listing the defined ones', async () => {
    await expect(hooks().runner.run('postTraffic', ctx())).rejects.toMatchObject({ code: 'HOOK_FAILED', message: 'no hook named postTraffic; defined: preTraffic' });
    expect(hooks().runner.names).toEqual(['preTraffic']);
  });
});
