import { GetFunctionConfigurationCommand, PublishVersionCommand, UpdateAliasCommand } from '@aws-sdk/client-lambda';
import { afterEach, describe, expect, it } from 'vitest';
import { DeployError } from '../../../src/errors.js';
import { lambdaCalls, lambdaResourceArns } from '../../../src/providers/lambda/index.js';
import type { Json } from '../../../src/providers/types.js';
import { ALIAS_ARN, applyUpdate, contexts, countsOf, FUNCTION_ARN, mockLambda, provider, sent, TARGET, version } from './fixtures.js';

/** Layer 1: the exact requests, against aws-sdk-client-mock. */

let active: ReturnType<typeof mockLambda> | undefined;
function lambda(...args: Parameters<typeof mockLambda>) {
  active = mockLambda(...args);
  return active;
}
afterEach(() => active?.mock.restore());

const updates = (mock: ReturnType<typeof mockLambda>['mock']) => mock.commandCalls(UpdateAliasCommand).map((c) => c.args[0].input);

describe('Lambda provider requests', () => {
  it('preflight only reads: GetAlias, then GetFunctionConfiguration of both versions', async () => {
    const { mock, client } = lambda();
    const report = await provider(client).preflight(contexts().base);
    expect(report).toMatchObject({ errors: [], warnings: [] });
    expect(sent(mock)).toEqual(['GetAlias', 'GetFunctionConfiguration', 'GetFunctionConfiguration']);
    expect(mock.calls()[0]!.args[0].input).toEqual({ FunctionName: 'checkout', Name: 'live' });
    expect(mock.calls().slice(1).map((c) => c.args[0].input)).toEqual([
      { FunctionName: 'checkout', Qualifier: '1' },
      { FunctionName: 'checkout', Qualifier: '2' },
    ]);
    expect(report.facts).toMatchObject({ aliasArn: ALIAS_ARN, functionVersion: '1', toVersion: '2', livePercent: 0, routing: 'version 1 with no weighted routing' });
  });

  it('a 4-step canary: UpdateAlias with the RevisionId just read, routing p/100, then the new version with routing cleared', async () => {
    const { mock, client, state } = lambda();
    const alias = provider(client);
    const ctx = contexts();
    await alias.preflight(ctx.base);
    const snapshot = await alias.capture(ctx.base);
    let from = 0;
    for (const percent of [1, 5, 25, 100]) {
      await alias.setWeight(percent, ctx.shift(snapshot, from));
      expect(await alias.verifyWeight(percent, ctx.shift(snapshot, from))).toEqual({ status: 'ok' });
      from = percent;
    }
    const base = { FunctionName: 'checkout', Name: 'live' };
    expect(updates(mock)).toEqual([
      { ...base, FunctionVersion: '1', RoutingConfig: { AdditionalVersionWeights: { '2': 0.01 } }, RevisionId: 'rev-0' },
      { ...base, FunctionVersion: '1', RoutingConfig: { AdditionalVersionWeights: { '2': 0.05 } }, RevisionId: 'rev-1' },
      { ...base, FunctionVersion: '1', RoutingConfig: { AdditionalVersionWeights: { '2': 0.25 } }, RevisionId: 'rev-2' },
      { ...base, FunctionVersion: '2', RoutingConfig: { AdditionalVersionWeights: {} }, RevisionId: 'rev-3' },
    ]);
    expect(state.alias).toEqual({ FunctionVersion: '2', Description: 'production', RevisionId: 'rev-4' });
    // Minimum: one read before each write (for the RevisionId), the write, one read back; plus preflight and capture.
    expect(countsOf(sent(mock))).toEqual({ GetAlias: 10, GetFunctionConfiguration: 2, UpdateAlias: 4 });
  });

  it('captures FunctionVersion, RoutingConfig, Description and RevisionId, and restores the first three exactly', async () => {
    const { mock, client, state } = lambda({ FunctionVersion: '1', Description: "the 'main' alias" });
    const alias = provider(client);
    const ctx = contexts();
    const snapshot = await alias.capture(ctx.base);
    expect(snapshot).toEqual({
      provider: 'lambda',
      version: 1,
      functionName: 'checkout',
      alias: 'live',
      aliasArn: ALIAS_ARN,
      oldVersion: '1',
      newVersion: '2',
      published: false,
      original: { FunctionVersion: '1', Description: "the 'main' alias", RevisionId: 'rev-0' },
    });
    await alias.setWeight(25, ctx.shift(snapshot, 0));
    await alias.restore(snapshot, ctx.base);
    expect(updates(mock)[1]).toEqual({ FunctionName: 'checkout', Name: 'live', FunctionVersion: '1', RoutingConfig: { AdditionalVersionWeights: {} }, Description: "the 'main' alias", RevisionId: 'rev-1' });
    // Field by field as captured; only the RevisionId differs, as it must after any update.
    expect(state.alias).toEqual({ FunctionVersion: '1', Description: "the 'main' alias", RevisionId: 'rev-2' });
    expect(await alias.readWeight(snapshot, ctx.base)).toBe(0);
  });

  it('shifts never send Description, so it stays as it is', async () => {
    const { mock, client } = lambda();
    const alias = provider(client);
    const ctx = contexts();
    const snapshot = await alias.capture(ctx.base);
    await alias.setWeight(50, ctx.shift(snapshot, 0));
    await alias.setWeight(100, ctx.shift(snapshot, 50));
    expect(updates(mock).every((u) => !('Description' in u))).toBe(true);
  });

  it('setWeight is idempotent: already there, nothing is written', async () => {
    const { mock, client, state } = lambda();
    const alias = provider(client);
    const ctx = contexts();
    const snapshot = await alias.capture(ctx.base);
    await alias.setWeight(5, ctx.shift(snapshot, 0));
    await alias.setWeight(5, ctx.shift(snapshot, 0));
    await alias.setWeight(5, ctx.shift(snapshot, 5));
    expect(updates(mock)).toHaveLength(1);
    expect(state.alias?.RoutingConfig).toEqual({ AdditionalVersionWeights: { '2': 0.05 } });
  });

  it('a foreign change is DRIFT, says what changed, and is never overwritten', async () => {
    const { mock, client, state } = lambda();
    const alias = provider(client);
    const ctx = contexts();
    const snapshot = await alias.capture(ctx.base);
    await alias.setWeight(5, ctx.shift(snapshot, 0));
    applyUpdate(state, { RoutingConfig: { AdditionalVersionWeights: { '2': 0.5 } } });
    const error = (await alias.setWeight(25, ctx.shift(snapshot, 5)).catch((e: unknown) => e)) as DeployError;
    expect(error).toBeInstanceOf(DeployError);
    expect(error.code).toBe('DRIFT');
    expect(error.message).toContain('expected version 1 with 5% to version 2 (5%) or version 1 with 25% to version 2 (25%), found version 1 with 50% to version 2');
    expect(updates(mock)).toHaveLength(1);
    expect(await alias.verifyWeight(25, ctx.shift(snapshot, 5))).toEqual({ status: 'drift', detail: expect.stringContaining('found version 1 with 50% to version 2') });
    expect(await alias.readWeight(snapshot, ctx.base)).toBe(50);
  });

  it('a write that did not take reads back as lost', async () => {
    const { client, state } = lambda();
    const alias = provider(client);
    const ctx = contexts();
    const snapshot = await alias.capture(ctx.base);
    state.loseWrites = 1;
    await alias.setWeight(5, ctx.shift(snapshot, 0));
    expect(await alias.verifyWeight(5, ctx.shift(snapshot, 0))).toEqual({ status: 'lost', detail: 'still version 1 with no weighted routing, expected version 1 with 5% to version 2' });
  });

  it('a 412 after someone wrote in between: read again; still at the old weight, write with the new RevisionId', async () => {
    const { mock, client, state } = lambda();
    const alias = provider(client);
    const ctx = contexts();
    const snapshot = await alias.capture(ctx.base);
    // Someone touches the alias (its description) between our read and our write.
    state.beforeUpdate = () => {
      state.beforeUpdate = undefined;
      applyUpdate(state, { Description: 'edited' });
    };
    await ctx.clock.run(alias.setWeight(5, ctx.shift(snapshot, 0)));
    expect(updates(mock).map((u) => u.RevisionId)).toEqual(['rev-0', 'rev-1']);
    expect(state.alias).toMatchObject({ FunctionVersion: '1', RoutingConfig: { AdditionalVersionWeights: { '2': 0.05 } }, Description: 'edited' });
  });

  it('a 412 after someone moved the weights is DRIFT', async () => {
    const { mock, client, state } = lambda();
    const alias = provider(client);
    const ctx = contexts();
    const snapshot = await alias.capture(ctx.base);
    state.beforeUpdate = () => {
      state.beforeUpdate = undefined;
      applyUpdate(state, { FunctionVersion: '2', RoutingConfig: { AdditionalVersionWeights: {} } });
    };
    const error = (await ctx.clock.run(alias.setWeight(5, ctx.shift(snapshot, 0))).catch((e: unknown) => e)) as DeployError;
    expect(error.code).toBe('DRIFT');
    expect(error.message).toContain('found version 2 with no weighted routing');
    // The one write was refused; after reading again there is nothing of ours to write.
    expect(updates(mock)).toHaveLength(1);
  });

  it('a 412 because our own first attempt applied (response lost, SDK retried): read shows the target, done', async () => {
    const { client, state } = lambda();
    const alias = provider(client);
    const ctx = contexts();
    const snapshot = await alias.capture(ctx.base);
    state.beforeUpdate = () => {
      state.beforeUpdate = undefined;
      applyUpdate(state, { FunctionVersion: '1', RoutingConfig: { AdditionalVersionWeights: { '2': 0.05 } } });
    };
    await ctx.clock.run(alias.setWeight(5, ctx.shift(snapshot, 0)));
    expect(state.alias?.RoutingConfig).toEqual({ AdditionalVersionWeights: { '2': 0.05 } });
  });

  it('restore puts back a captured description and warns when it replaces someone else change', async () => {
    const { client, state } = lambda();
    const alias = provider(client);
    const ctx = contexts();
    const snapshot = await alias.capture(ctx.base);
    await alias.setWeight(5, ctx.shift(snapshot, 0));
    applyUpdate(state, { FunctionVersion: '2', RoutingConfig: { AdditionalVersionWeights: { '1': 0.3 } }, Description: 'hotfix' });
    await alias.restore(snapshot, ctx.base);
    expect(state.alias).toEqual({ FunctionVersion: '1', Description: 'production', RevisionId: expect.any(String) });
    expect(ctx.events).toEqual([expect.objectContaining({ type: 'warning', message: expect.stringContaining('FunctionVersion 1 → 2') })]);
  });

  it('restore that never takes throws with what is still different', async () => {
    const { client, state } = lambda();
    const alias = provider(client);
    const ctx = contexts();
    const snapshot = await alias.capture(ctx.base);
    await alias.setWeight(5, ctx.shift(snapshot, 0));
    state.loseWrites = 100;
    const error = (await ctx.clock.run(alias.restore(snapshot, ctx.base)).catch((e: unknown) => e)) as DeployError;
    expect(error.code).toBe('AWS_ERROR');
    expect(error.message).toContain('did not take after 3 writes; still different: AdditionalVersionWeights {} → {"2":0.05}');
  });

  it('every call carries the abort signal', async () => {
    const { mock, client } = lambda();
    const alias = provider(client);
    const ctx = contexts();
    await alias.preflight(ctx.base);
    const snapshot = await alias.capture(ctx.base);
    await alias.setWeight(5, ctx.shift(snapshot, 0));
    await alias.restore(snapshot, ctx.base);
    for (const call of mock.calls()) expect((call.args as unknown[])[1]).toEqual({ abortSignal: ctx.base.signal });
  });

  it('manual restore commands are exact and shell-quoted', async () => {
    const { client } = lambda({ FunctionVersion: '1', Description: "it's live" });
    const alias = provider(client, { ...TARGET, functionName: FUNCTION_ARN });
    const snapshot = await alias.capture(contexts().base);
    expect(alias.manualRestoreCommands(snapshot)).toEqual([
      `aws lambda update-alias --region 'eu-west-1' --function-name '${FUNCTION_ARN}' --name 'live' --function-version '1' --routing-config '{"AdditionalVersionWeights":{}}' --description 'it'\\''s live'`,
      `aws lambda get-alias --region 'eu-west-1' --function-name '${FUNCTION_ARN}' --name 'live'`,
    ]);
    expect(alias.manualRestoreCommands(null)[0]).toMatch(/^# .*no captured configuration/);
  });

  it('refuses to write without a Lambda snapshot', async () => {
    const { mock, client } = lambda();
    const alias = provider(client);
    const ctx = contexts();
    await expect(alias.setWeight(5, ctx.shift({ provider: 'alb' } as Json, 0))).rejects.toThrow(/not a Lambda alias snapshot/);
    expect(sent(mock)).toEqual([]);
  });
});

describe('Lambda preflight findings', () => {
  const errorsOf = async (setup: (fake: ReturnType<typeof mockLambda>) => void, target = TARGET) => {
    const fake = lambda();
    setup(fake);
    const report = await provider(fake.client, target).preflight(contexts().base);
    expect(sent(fake.mock).every((op) => op.startsWith('Get'))).toBe(true);
    return report.errors;
  };

  it('names a missing alias', async () => {
    expect(await errorsOf((f) => (f.state.alias = undefined))).toEqual([`alias checkout:live not found (ResourceNotFoundException: Cannot find alias arn: ${ALIAS_ARN})`]);
  });

  it('refuses routing already in progress, naming the version and weight', async () => {
    const errors = await errorsOf((f) => (f.state.alias!.RoutingConfig = { AdditionalVersionWeights: { '2': 0.1 } }));
    expect(errors).toEqual([expect.stringContaining('alias checkout:live already routes 10% to version 2 (AdditionalVersionWeights {"2":0.1})')]);
  });

  it('refuses an alias on $LATEST, a target equal to the alias version, and a missing version', async () => {
    expect(await errorsOf((f) => (f.state.alias!.FunctionVersion = '$LATEST'))).toEqual([expect.stringContaining('points at $LATEST')]);
    expect(await errorsOf(() => undefined, { ...TARGET, toVersion: 1 })).toEqual([expect.stringContaining('already points at version 1: there is nothing to shift')]);
    expect(await errorsOf(() => undefined, { ...TARGET, toVersion: '7' })).toEqual(['version 7 of checkout does not exist']);
  });

  it('says before any write that Lambda refuses routing between versions with another role or dead-letter queue', async () => {
    const errors = await errorsOf((f) => (f.state.versions['2'] = version('2', { Role: 'arn:aws:iam::111122223333:role/other', DeadLetterConfig: { TargetArn: 'arn:aws:sqs:eu-west-1:111122223333:dlq' } })));
    expect(errors).toEqual([
      `version 2 of checkout runs as arn:aws:iam::111122223333:role/other, version 1 (the alias's version) as arn:aws:iam::111122223333:role/checkout: Lambda refuses weighted alias routing between versions with different execution roles`,
      `version 2 of checkout sends failed events to arn:aws:sqs:eu-west-1:111122223333:dlq, version 1 (the alias's version) to no dead-letter queue: Lambda refuses weighted alias routing between versions with different dead-letter queue configurations`,
    ]);
  });

  it('refuses a failed version', async () => {
    expect(await errorsOf((f) => (f.state.versions['2'] = version('2', { State: 'Failed', StateReason: 'bad image' })))).toEqual(['version 2 of checkout is in state Failed (bad image): it cannot serve traffic']);
  });
});

describe('Lambda publish: true', () => {
  const PUBLISH = { type: 'lambda', functionName: 'checkout', alias: 'live', publish: true } as const;

  it('preflight reads $LATEST and never publishes; capture publishes with the CodeSha256 preflight saw', async () => {
    const { mock, client } = lambda();
    const alias = provider(client, PUBLISH);
    const ctx = contexts();
    const report = await alias.preflight(ctx.base);
    expect(report.errors).toEqual([]);
    expect(sent(mock)).toEqual(['GetAlias', 'GetFunctionConfiguration', 'GetFunctionConfiguration']);
    expect(mock.calls()[2]!.args[0].input).toEqual({ FunctionName: 'checkout', Qualifier: '$LATEST' });
    const snapshot = await alias.capture(ctx.base);
    expect(mock.commandCalls(PublishVersionCommand).map((c) => c.args[0].input)).toEqual([{ FunctionName: 'checkout', Description: 'published by deployctl for deployment d-1', CodeSha256: 'sha-latest' }]);
    expect(snapshot).toMatchObject({ oldVersion: '1', newVersion: '3', published: true });
    await alias.setWeight(10, ctx.shift(snapshot, 0));
    expect(updates(mock)[0]).toMatchObject({ RoutingConfig: { AdditionalVersionWeights: { '3': 0.1 } } });
  });

  it('when Lambda returns the version the alias already serves (nothing changed), capture says so', async () => {
    const { mock, client } = lambda();
    mock.on(PublishVersionCommand).resolves(version('1'));
    const alias = provider(client, PUBLISH);
    const ctx = contexts();
    await alias.preflight(ctx.base);
    const error = (await alias.capture(ctx.base).catch((e: unknown) => e)) as DeployError;
    expect(error.code).toBe('PREFLIGHT_FAILED');
    expect(error.message).toContain('$LATEST of checkout has not changed since version 1 was published, and alias checkout:live already points at version 1');
    expect(updates(mock)).toEqual([]);
  });

  it('refuses to publish code other than what preflight checked', async () => {
    const { mock, client } = lambda();
    mock.on(PublishVersionCommand).rejects(Object.assign(new Error('CodeSHA256 (sha-latest) is different from current CodeSHA256 in $LATEST (sha-new). Please try again with the CodeSHA256 in $LATEST.'), { name: 'InvalidParameterValueException' }));
    const alias = provider(client, PUBLISH);
    const ctx = contexts();
    await alias.preflight(ctx.base);
    const error = (await alias.capture(ctx.base).catch((e: unknown) => e)) as DeployError;
    expect(error.code).toBe('DRIFT');
    expect(error.message).toBe('lambda alias checkout:live (to a version published from $LATEST): the code of $LATEST changed since preflight checked it (CodeSha256 sha-latest); nothing was published');
    expect(updates(mock)).toEqual([]);
  });

  it('waits on the clock until a published version is Active', async () => {
    const { mock, client, state } = lambda();
    let reads = 0;
    mock.on(PublishVersionCommand).callsFake(() => version('3', { State: 'Pending' }));
    mock.on(GetFunctionConfigurationCommand, { Qualifier: '3' }).callsFake(() => version('3', { State: ++reads < 2 ? 'Pending' : 'Active' }));
    const alias = provider(client, PUBLISH);
    const ctx = contexts();
    await alias.preflight(ctx.base);
    const started = ctx.clock.now();
    const snapshot = await ctx.clock.run(alias.capture(ctx.base));
    expect(snapshot).toMatchObject({ newVersion: '3' });
    expect(sent(mock).slice(-3)).toEqual(['PublishVersion', 'GetFunctionConfiguration', 'GetFunctionConfiguration']);
    expect(ctx.clock.now() - started).toBe(2000);
    expect(state.alias?.FunctionVersion).toBe('1');
  });

  it('gives up on a version that never becomes Active, before any traffic moved', async () => {
    const { mock, client } = lambda();
    mock.on(PublishVersionCommand).callsFake(() => version('3', { State: 'Pending' }));
    mock.on(GetFunctionConfigurationCommand, { Qualifier: '3' }).callsFake(() => version('3', { State: 'Pending' }));
    const alias = provider(client, PUBLISH);
    const ctx = contexts();
    await alias.preflight(ctx.base);
    const error = (await ctx.clock.run(alias.capture(ctx.base)).catch((e: unknown) => e)) as DeployError;
    expect(error.message).toBe('version 3 of checkout is still Pending after 10 s; giving up before any traffic moved');
    expect(updates(mock)).toEqual([]);
  });
});

describe('Lambda calls and resources', () => {
  it('lists what a target calls and touches', () => {
    expect(lambdaCalls(TARGET)).toEqual({ read: ['lambda:GetAlias', 'lambda:GetFunctionConfiguration'], write: ['lambda:UpdateAlias'] });
    expect(lambdaCalls({ ...TARGET, toVersion: undefined, publish: true }).write).toEqual(['lambda:UpdateAlias', 'lambda:PublishVersion']);
    expect(lambdaResourceArns({ ...TARGET, functionName: FUNCTION_ARN })).toEqual({ written: [ALIAS_ARN], read: [ALIAS_ARN, `${FUNCTION_ARN}:*`, FUNCTION_ARN] });
  });
});
