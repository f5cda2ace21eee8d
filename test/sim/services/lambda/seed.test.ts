import { GetAliasCommand, GetFunctionConfigurationCommand, LambdaClient, PublishVersionCommand } from '@aws-sdk/client-lambda';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../../../src/errors.js';
import { lambdaService, type LambdaState } from '../../../../src/sim/services/lambda/index.js';
import { DEFAULT_SETTLE_SECONDS } from '../../../../src/sim/services/lambda/state.js';
import { World, type WorldState } from '../../../../src/sim/world.js';
import { VirtualClock } from '../../../../src/time/clock.js';
import { clientConfig, T0 } from '../../simFixture.js';
import { ACCOUNT, ARN_PREFIX, CHECKOUT, lambdaWorld } from './fixture.js';

describe('Lambda world-file section', () => {
  it('seeds active functions, versions and aliases with stable ARNs and RevisionIds', async () => {
    const first = lambdaWorld(CHECKOUT);
    const second = lambdaWorld(CHECKOUT, { seed: 99 });

    const read = (client: LambdaClient) => client.send(new GetAliasCommand({ FunctionName: 'checkout', Name: 'live' }));
    const [a, b] = [await read(first.client), await read(second.client)];

    expect(a).toMatchObject({ AliasArn: `${ARN_PREFIX}:checkout:live`, FunctionVersion: '1', Description: '' });
    expect(a.RevisionId).toBe(b.RevisionId);
    const latest = await first.client.send(new GetFunctionConfigurationCommand({ FunctionName: 'checkout' }));
    expect(latest).toMatchObject({ State: 'Active', LastUpdateStatus: 'Successful', Role: `arn:aws:iam::${ACCOUNT}:role/checkout`, Runtime: 'nodejs20.x', Handler: 'index.handler' });
    expect(latest.RevisionId).toBe((await second.client.send(new GetFunctionConfigurationCommand({ FunctionName: 'checkout' }))).RevisionId);
  });

  it('registers fn and alias references for later sections and traffic', () => {
    const refs = new Map<string, Readonly<Record<string, string>>>();
    const { world } = lambdaWorld(undefined);

    lambdaService.seed!(world.context('lambda'), CHECKOUT, { set: (name, fields) => refs.set(name, fields), get: (name) => refs.get(name) });

    expect(Object.fromEntries(refs)).toEqual({
      'fn:checkout': { arn: `${ARN_PREFIX}:checkout`, name: 'checkout' },
      'alias:checkout:live': { arn: `${ARN_PREFIX}:checkout:live`, resource: 'checkout:live' },
    });
    const viaArn = lambdaWorld(CHECKOUT, { traffic: [{ service: 'lambda', resource: '${fn:checkout.arn}:live', rps: 4 }] });
    expect(viaArn.world.route('lambda', `${ARN_PREFIX}:checkout:live`, 4, () => undefined)).toMatchObject([{ rps: 4, version: 'app-v1' }]);
  });

  it('leaves $LATEST equal to the newest version unless `latest` names another artifact', async () => {
    const same = lambdaWorld(CHECKOUT);
    const newer = lambdaWorld({ ...CHECKOUT, functions: [{ ...CHECKOUT.functions[0]!, latest: 'app-v3' }] }, { artifacts: { 'app-v3': 'release-3' } });

    expect((await same.client.send(new PublishVersionCommand({ FunctionName: 'checkout' }))).Version).toBe('2');
    expect((await newer.client.send(new PublishVersionCommand({ FunctionName: 'checkout' }))).Version).toBe('3');
    expect(newer.world.route('lambda', 'checkout:3', 1, () => undefined)).toMatchObject([{ version: 'release-3' }]);
  });

  it('seeds weighted aliases, per-version roles and invoke results', () => {
    const { state } = lambdaWorld({
      functions: [
        {
          name: 'api',
          versions: [{ version: 3, artifact: 'a' }, { version: '7', artifact: 'b', description: 'seven', invoke: { payload: 'ok' } }],
          aliases: [{ name: 'live', version: 3, routing: { '7': 0.1 }, description: 'prod' }],
          invoke: { payload: { status: 'Failed' }, functionError: 'Unhandled' },
        },
      ],
    });

    const api = state().functions.api!;
    expect(state().settleSeconds).toBe(DEFAULT_SETTLE_SECONDS);
    expect(api.nextVersion).toBe(8);
    expect(api.aliases.live).toMatchObject({ functionVersion: '3', routing: { '7': 0.1 }, description: 'prod' });
    expect(api.versions['7']).toMatchObject({ invoke: { payload: 'ok' }, settings: { description: 'seven', role: `arn:aws:iam::${ACCOUNT}:role/api-role` } });
    expect(api.invoke).toEqual({ payload: { status: 'Failed' }, functionError: 'Unhandled' });
  });

  it('rejects sections that AWS could never be in, naming the place', () => {
    const bad = (section: unknown) => () => lambdaWorld(section);
    const fn = (extra: Record<string, unknown>) => ({ functions: [{ name: 'f', versions: [{ version: 1, artifact: 'a' }, { version: 2, artifact: 'b' }], ...extra }] });

    expect(bad({ functions: [{ name: 'f', versions: [{ version: 2, artifact: 'a' }, { version: 1, artifact: 'b' }] }] })).toThrow(/functions\[0\]\.versions\[1\]\.version/);
    expect(bad({ functions: [{ name: 'f', versions: [{ version: 1 }] }] })).toThrow(/versions\[0\]\.artifact/);
    expect(bad(fn({ aliases: [{ name: 'live', version: 5 }] }))).toThrow(/aliases\[0\]\.version/);
    expect(bad(fn({ aliases: [{ name: '42', version: 1 }] }))).toThrow(/aliases\[0\]\.name/);
    expect(bad(fn({ aliases: [{ name: 'live', version: 1, routing: { '1': 0.5 } }] }))).toThrow(/already included in routing configuration/);
    expect(bad({ functions: [{ name: 'f' }, { name: 'f' }] })).toThrow(/each function is listed once/);
    expect(bad({ settleSeconds: -1 })).toThrow(InputError);
    const roles = { functions: [{ name: 'f', versions: [{ version: 1, artifact: 'a' }, { version: 2, artifact: 'b', role: `arn:aws:iam::${ACCOUNT}:role/x` }], aliases: [{ name: 'live', version: 1, routing: { '2': 0.5 } }] }] };
    expect(bad(roles)).toThrow(/same execution role/);
  });

  it('survives a save and a load into another world (plain JSON state)', async () => {
    const { world } = lambdaWorld(CHECKOUT);
    const saved = JSON.parse(JSON.stringify(world.save())) as WorldState;

    const loaded = new World({ clock: new VirtualClock(T0), services: [lambdaService], state: saved });
    const client = new LambdaClient(clientConfig(loaded));

    expect((await client.send(new GetAliasCommand({ FunctionName: 'checkout', Name: 'live' }))).FunctionVersion).toBe('1');
    expect(loaded.stateOf<LambdaState>('lambda')).toEqual(world.stateOf<LambdaState>('lambda'));
  });
});
