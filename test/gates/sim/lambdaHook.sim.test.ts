/** Lambda hooks against the simulated Lambda's Invoke (real SDK client, the world's answers). */
import { LambdaClient } from '@aws-sdk/client-lambda';
import { describe, expect, it } from 'vitest';
import { createHookRunner } from '../../../src/gates/index.js';
import { parseFault } from '../../../src/sim/faults.js';
import { lambdaService } from '../../../src/sim/services/lambda/index.js';
import type { WorldSeed } from '../../../src/sim/seed.js';
import { clientConfig, simWorld } from '../../sim/simFixture.js';

const SEED = {
  lambda: {
    settleSeconds: 0,
    functions: [
      { name: 'smoke-ok', versions: [{ version: 1, artifact: 'app-v1' }] },
      { name: 'smoke-failing', versions: [{ version: 1, artifact: 'app-v1' }], invoke: { payload: { status: 'Failed', reason: 'checkout returned 500' } } },
      { name: 'smoke-crashing', versions: [{ version: 1, artifact: 'app-v1' }], invoke: { payload: { errorType: 'Error', errorMessage: 'boom' }, functionError: 'Unhandled' } },
    ],
  },
} as WorldSeed;

async function hooksOnSim(faults: readonly string[] = []) {
  const { world, clock } = simWorld([lambdaService], SEED);
  for (const fault of faults) world.addFault(parseFault(fault));
  const client = new LambdaClient(clientConfig(world));
  const hooks = createHookRunner({ ok: { lambda: 'smoke-ok' }, failing: { lambda: 'smoke-failing' }, crashing: { lambda: 'smoke-crashing:1' } }, { lambda: async () => client, clock });
  return { hooks, world };
}

const ctx = { deploymentId: 'd-sim', signal: new AbortController().signal, stepIndex: 0, weight: 0 };

describe('lambda hooks on the simulated Lambda', () => {
  it('pass when the function answers {"status":"Succeeded"}', async () => {
    const { hooks } = await hooksOnSim();
    expect(await hooks.run('ok', ctx)).toEqual({ detail: 'lambda smoke-ok answered status Succeeded' });
  });

  it('fail on {"status":"Failed"}, quoting the answer and the end of the function log', async () => {
    const { hooks } = await hooksOnSim();
    await expect(hooks.run('failing', ctx)).rejects.toMatchObject({
      code: 'HOOK_FAILED',
      message: expect.stringMatching(/^hook failing failed: lambda smoke-failing answered \{"status":"Failed","reason":"checkout returned 500"\}, not \{"status":"Succeeded"\}; function log ends:\n {4}START RequestId: .*\n {4}END RequestId: .*\n {4}REPORT RequestId: /),
    });
  });

  it('fail on a FunctionError', async () => {
    const { hooks } = await hooksOnSim();
    await expect(hooks.run('crashing', ctx)).rejects.toMatchObject({ code: 'HOOK_FAILED', message: expect.stringContaining('lambda smoke-crashing:1 failed (Unhandled): {"errorType":"Error","errorMessage":"boom"}') });
  });

  it('fail when Invoke errors (a 5xx from Lambda), naming the error', async () => {
    const { hooks } = await hooksOnSim(['error:lambda:Invoke=x1/500']);
    await expect(hooks.run('ok', ctx)).rejects.toMatchObject({ code: 'HOOK_FAILED', message: expect.stringMatching(/^hook ok failed: /) });
    expect(await hooks.run('ok', ctx)).toEqual({ detail: 'lambda smoke-ok answered status Succeeded' });
  });
});
