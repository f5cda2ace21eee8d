import {
  CreateAliasCommand,
  CreateFunctionCommand,
  GetAliasCommand,
  GetFunctionConfigurationCommand,
  LambdaClient,
  PublishVersionCommand,
  UpdateAliasCommand,
  UpdateFunctionCodeCommand,
} from '@aws-sdk/client-lambda';
import { expect, it } from 'vitest';
import { lambdaService } from '../../src/sim/services/lambda/index.js';
import { expectConformance, motoSide, ok, runBoth, simSide, type Deviation, type TokenRule, type Transcript } from './conformance.js';
import { describeWithMoto, motoLambdaRole } from './motoServer.js';
import { zipOneFile } from './zip.js';

const ROLE = 'arn:aws:iam::123456789012:role/deployctl-conformance';
const TOKENS: readonly TokenRule[] = [];

/** Every difference between moto and the sim; docs/moto.md explains each (same ids) and which side AWS takes. */
const DEVIATIONS: readonly Deviation[] = [
  { id: 'lambda-states', at: /^(CreateFunction|UpdateFunctionCode|PublishVersion v\d|GetFunctionConfiguration v2) (State|StateReason|StateReasonCode|LastUpdateStatus|LastUpdateStatusReason|LastUpdateStatusReasonCode)$/ },
  { id: 'lambda-function-revision-id', at: /^(CreateFunction|UpdateFunctionCode|PublishVersion v\d|GetFunctionConfiguration v2) RevisionId$/ },
  { id: 'lambda-layers-logging', at: /^(CreateFunction|UpdateFunctionCode|PublishVersion v\d|GetFunctionConfiguration v2) (Layers|LoggingConfig\.\w+)$/ },
  { id: 'lambda-alias-status', at: /^(GetAlias|UpdateAlias).* \$status$/ },
  { id: 'lambda-alias-revision', at: /^((CreateAlias|GetAlias|UpdateAlias).* RevisionId|revision changed by UpdateAlias )$|^UpdateAlias stale RevisionId / },
  { id: 'lambda-empty-routing', at: /^(UpdateAlias finish|GetAlias finished) RoutingConfig/ },
  { id: 'lambda-routing-same-version', at: /^UpdateAlias routes to its own version / },
  { id: 'lambda-weight-range', at: /^UpdateAlias weight 1\.5 / },
];

/** Waits (without recording) until a function or version is Active and no update is in progress. */
async function settled(t: Transcript, c: LambdaClient, qualifier?: string): Promise<void> {
  for (let i = 0; i < 120; i++) {
    const config = await c.send(new GetFunctionConfigurationCommand({ FunctionName: 'checkout', ...(qualifier ? { Qualifier: qualifier } : {}) }));
    if (config.State === 'Active' && config.LastUpdateStatus !== 'InProgress') return;
    await t.side.settle(1);
  }
  throw new Error(`${t.side.name}: checkout:${qualifier ?? '$LATEST'} did not become Active`);
}

/** The calls the Lambda provider makes (GetAlias, GetFunctionConfiguration, UpdateAlias with RevisionId, PublishVersion). */
async function scenario(t: Transcript): Promise<void> {
  const c = new LambdaClient(t.side.config);
  const code = (n: number) => zipOneFile('index.js', `exports.handler = async () => ({ statusCode: 200, body: 'v${n}' });\n`);
  await t.call('CreateFunction', () => c.send(new CreateFunctionCommand({ FunctionName: 'checkout', Runtime: 'nodejs20.x', Role: ROLE, Handler: 'index.handler', Code: { ZipFile: code(1) } })));
  await settled(t, c);
  await t.call('PublishVersion v1', () => c.send(new PublishVersionCommand({ FunctionName: 'checkout' })));
  await t.call('UpdateFunctionCode', () => c.send(new UpdateFunctionCodeCommand({ FunctionName: 'checkout', ZipFile: code(2) })));
  await settled(t, c);
  await t.call('PublishVersion v2', () => c.send(new PublishVersionCommand({ FunctionName: 'checkout', Description: 'second' })));
  await settled(t, c, '2');
  await t.call('GetFunctionConfiguration v2', () => c.send(new GetFunctionConfigurationCommand({ FunctionName: 'checkout', Qualifier: '2' })));

  const created = await t.call('CreateAlias', () => c.send(new CreateAliasCommand({ FunctionName: 'checkout', Name: 'live', FunctionVersion: '1', Description: 'production' })));
  const read = await t.call('GetAlias', () => c.send(new GetAliasCommand({ FunctionName: 'checkout', Name: 'live' })));
  const shifted = await t.call('UpdateAlias 5%', () =>
    c.send(new UpdateAliasCommand({ FunctionName: 'checkout', Name: 'live', FunctionVersion: '1', RoutingConfig: { AdditionalVersionWeights: { '2': 0.05 } }, RevisionId: read.RevisionId })),
  );
  await t.call('GetAlias by ARN', () => c.send(new GetAliasCommand({ FunctionName: 'arn:aws:lambda:us-east-1:123456789012:function:checkout', Name: 'live' })));
  await t.attempt('UpdateAlias stale RevisionId', () =>
    c.send(new UpdateAliasCommand({ FunctionName: 'checkout', Name: 'live', FunctionVersion: '1', RoutingConfig: { AdditionalVersionWeights: { '2': 0.25 } }, RevisionId: created.RevisionId })),
  );
  await t.attempt('UpdateAlias routes to its own version', () => c.send(new UpdateAliasCommand({ FunctionName: 'checkout', Name: 'live', FunctionVersion: '1', RoutingConfig: { AdditionalVersionWeights: { '1': 0.5 } } })));
  await t.attempt('UpdateAlias weight 1.5', () => c.send(new UpdateAliasCommand({ FunctionName: 'checkout', Name: 'live', FunctionVersion: '1', RoutingConfig: { AdditionalVersionWeights: { '2': 1.5 } } })));
  await t.attempt('UpdateAlias unknown version', () => c.send(new UpdateAliasCommand({ FunctionName: 'checkout', Name: 'live', FunctionVersion: '9' })));
  await t.attempt('GetAlias unknown alias', () => c.send(new GetAliasCommand({ FunctionName: 'checkout', Name: 'canary' })));
  await t.attempt('GetAlias unknown function', () => c.send(new GetAliasCommand({ FunctionName: 'missing', Name: 'live' })));
  await t.attempt('GetFunctionConfiguration unknown version', () => c.send(new GetFunctionConfigurationCommand({ FunctionName: 'checkout', Qualifier: '9' })));
  const current = await c.send(new GetAliasCommand({ FunctionName: 'checkout', Name: 'live' }));
  await t.call('UpdateAlias finish', () => c.send(new UpdateAliasCommand({ FunctionName: 'checkout', Name: 'live', FunctionVersion: '2', RoutingConfig: { AdditionalVersionWeights: {} }, RevisionId: current.RevisionId })));
  await t.call('GetAlias finished', () => c.send(new GetAliasCommand({ FunctionName: 'checkout', Name: 'live' })));
  t.note('revision changed by UpdateAlias', shifted.RevisionId !== read.RevisionId);
}

describeWithMoto('Lambda conformance: moto and the simulated world answer the Lambda provider calls alike', (moto) => {
  it('versions, alias routing with RevisionId, and the modeled errors', async () => {
    await motoLambdaRole(moto());
    const { moto: m, sim: s } = await runBoth(motoSide(moto()), simSide([lambdaService]), scenario);

    expectConformance(m, s, DEVIATIONS, { tokens: TOKENS });

    for (const t of [m, s]) {
      expect(ok(t.answerOf('UpdateAlias 5%'))).toMatchObject({ FunctionVersion: '1', RoutingConfig: { AdditionalVersionWeights: { '2': 0.05 } } });
      expect(ok(t.answerOf('GetAlias by ARN'))).toMatchObject({ FunctionVersion: '1', RoutingConfig: { AdditionalVersionWeights: { '2': 0.05 } } });
      expect(ok(t.answerOf('GetFunctionConfiguration v2'))).toMatchObject({ Version: '2', Description: 'second', FunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:checkout:2' });
      expect(t.answerOf('GetAlias unknown alias')).toEqual({ error: 'ResourceNotFoundException', status: 404 });
      expect(t.answerOf('UpdateAlias unknown version')).toEqual({ error: 'ResourceNotFoundException', status: 404 });
    }
    // What AWS documents and the sim does; moto does not implement it (see docs/moto.md).
    expect(s.answerOf('UpdateAlias stale RevisionId')).toEqual({ error: 'PreconditionFailedException', status: 412 });
    expect(ok(s.answerOf('revision changed by UpdateAlias'))).toBe(true);
    expect(m.answerOf('UpdateAlias stale RevisionId')).toMatchObject({ ok: expect.anything() });
  });
});
