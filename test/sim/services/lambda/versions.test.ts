import { createHash } from 'node:crypto';
import {
  CreateFunctionCommand,
  GetFunctionConfigurationCommand,
  ListVersionsByFunctionCommand,
  PublishVersionCommand,
  UpdateFunctionCodeCommand,
  UpdateFunctionConfigurationCommand,
} from '@aws-sdk/client-lambda';
import { describe, expect, it } from 'vitest';
import { parseFault } from '../../../../src/sim/faults.js';
import { ACCOUNT, ARN_PREFIX, expectAwsError, lambdaWorld, zip } from './fixture.js';

const ROLE = `arn:aws:iam::${ACCOUNT}:role/payments`;

async function withFunction(settleSeconds = 0) {
  const setup = lambdaWorld({ settleSeconds });
  await setup.client.send(new CreateFunctionCommand({ FunctionName: 'payments', Role: ROLE, Runtime: 'nodejs20.x', Handler: 'index.handler', Code: { ZipFile: zip('v1') } }));
  setup.clock.advance(settleSeconds * 1000);
  return setup;
}

describe('Lambda PublishVersion', () => {
  it('publishes $LATEST as version 1 (201), with the qualified ARN and a snapshot of code and settings', async () => {
    const { client } = await withFunction();

    const published = await client.send(new PublishVersionCommand({ FunctionName: 'payments', Description: 'build 7' }));

    expect(published.$metadata.httpStatusCode).toBe(201);
    expect(published).toMatchObject({ Version: '1', FunctionArn: `${ARN_PREFIX}:payments:1`, Description: 'build 7', Role: ROLE, CodeSha256: createHash('sha256').update('v1').digest('base64') });
    expect(published.LastUpdateStatus).toBeUndefined();
  });

  it('does not publish again when neither code nor configuration changed since the last version', async () => {
    const { client, state } = await withFunction();
    await client.send(new PublishVersionCommand({ FunctionName: 'payments' }));

    const again = await client.send(new PublishVersionCommand({ FunctionName: 'payments', Description: 'retry' }));

    expect(again.Version).toBe('1');
    expect(Object.keys(state().functions.payments!.versions)).toEqual(['1']);
    await client.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'payments', MemorySize: 256 }));
    expect((await client.send(new PublishVersionCommand({ FunctionName: 'payments' }))).Version).toBe('2');
    await client.send(new UpdateFunctionCodeCommand({ FunctionName: 'payments', ZipFile: zip('v2') }));
    const third = await client.send(new PublishVersionCommand({ FunctionName: 'payments' }));
    expect(third).toMatchObject({ Version: '3', MemorySize: 256, CodeSha256: createHash('sha256').update('v2').digest('base64') });
  });

  it('keeps published versions immutable when $LATEST changes', async () => {
    const { client } = await withFunction();
    await client.send(new PublishVersionCommand({ FunctionName: 'payments' }));

    await client.send(new UpdateFunctionCodeCommand({ FunctionName: 'payments', ZipFile: zip('v2') }));

    const v1 = await client.send(new GetFunctionConfigurationCommand({ FunctionName: 'payments', Qualifier: '1' }));
    expect(v1.CodeSha256).toBe(createHash('sha256').update('v1').digest('base64'));
  });

  it('guards on CodeSha256 (InvalidParameterValueException) and RevisionId (PreconditionFailedException)', async () => {
    const { client } = await withFunction();
    const latest = await client.send(new GetFunctionConfigurationCommand({ FunctionName: 'payments' }));
    const wrongSha = 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';

    await expectAwsError(
      client.send(new PublishVersionCommand({ FunctionName: 'payments', CodeSha256: wrongSha })),
      'InvalidParameterValueException',
      400,
      `CodeSHA256 (${wrongSha}) is different from current CodeSHA256 in $LATEST (${latest.CodeSha256}). Please try again with the CodeSHA256 in $LATEST.`,
    );
    await expectAwsError(client.send(new PublishVersionCommand({ FunctionName: 'payments', RevisionId: 'stale' })), 'PreconditionFailedException', 412);
    const ok = await client.send(new PublishVersionCommand({ FunctionName: 'payments', CodeSha256: latest.CodeSha256, RevisionId: latest.RevisionId }));
    expect(ok.Version).toBe('1');
  });

  it('changes the RevisionId of $LATEST when it publishes', async () => {
    const { client } = await withFunction();
    const before = await client.send(new GetFunctionConfigurationCommand({ FunctionName: 'payments' }));

    await client.send(new PublishVersionCommand({ FunctionName: 'payments' }));

    const after = await client.send(new GetFunctionConfigurationCommand({ FunctionName: 'payments' }));
    expect(after.RevisionId).not.toBe(before.RevisionId);
  });

  it('refuses to publish while an update is in progress, and the new version is Pending until it settles', async () => {
    const { client, clock } = await withFunction(5);
    await client.send(new UpdateFunctionCodeCommand({ FunctionName: 'payments', ZipFile: zip('v2') }));

    await expectAwsError(client.send(new PublishVersionCommand({ FunctionName: 'payments' })), 'ResourceConflictException', 409, `The operation cannot be performed at this time. An update is in progress for resource: ${ARN_PREFIX}:payments`);
    clock.advance(5_000);
    const published = await client.send(new PublishVersionCommand({ FunctionName: 'payments' }));
    expect(published).toMatchObject({ Version: '1', State: 'Pending' });
    clock.advance(5_000);
    expect((await client.send(new GetFunctionConfigurationCommand({ FunctionName: 'payments', Qualifier: '1' }))).State).toBe('Active');
  });

  it('makes a retry after an ambiguous timeout safe: the retry returns the version the lost answer published', async () => {
    const { client, world, state } = await withFunction();
    world.addFault(parseFault('timeout-after-apply:lambda:PublishVersion=x1'));

    await expect(client.send(new PublishVersionCommand({ FunctionName: 'payments' }))).rejects.toThrow();
    const retry = await client.send(new PublishVersionCommand({ FunctionName: 'payments' }));

    expect(retry.Version).toBe('1');
    expect(Object.keys(state().functions.payments!.versions)).toEqual(['1']);
  });

  it('answers ResourceNotFoundException for an unknown function', async () => {
    const { client } = await withFunction();

    await expectAwsError(client.send(new PublishVersionCommand({ FunctionName: 'nope' })), 'ResourceNotFoundException', 404, `Function not found: ${ARN_PREFIX}:nope`);
  });
});

describe('Lambda ListVersionsByFunction', () => {
  it('lists $LATEST then the versions in order, with qualified ARNs, page by page', async () => {
    const { client } = await withFunction();
    for (const code of ['a', 'b', 'c']) {
      await client.send(new UpdateFunctionCodeCommand({ FunctionName: 'payments', ZipFile: zip(code), Publish: true }));
    }

    const first = await client.send(new ListVersionsByFunctionCommand({ FunctionName: 'payments', MaxItems: 2 }));
    const second = await client.send(new ListVersionsByFunctionCommand({ FunctionName: 'payments', MaxItems: 2, Marker: first.NextMarker }));

    expect(first.Versions?.map((v) => v.Version)).toEqual(['$LATEST', '1']);
    expect(first.Versions?.map((v) => v.FunctionArn)).toEqual([`${ARN_PREFIX}:payments:$LATEST`, `${ARN_PREFIX}:payments:1`]);
    expect(first.NextMarker).toBeDefined();
    expect(second.Versions?.map((v) => v.Version)).toEqual(['2', '3']);
    expect(second.NextMarker).toBeUndefined();
    await expectAwsError(client.send(new ListVersionsByFunctionCommand({ FunctionName: 'payments', Marker: 'bogus' })), 'InvalidParameterValueException', 400);
  });

  it('returns at most 50 versions per page whatever MaxItems says', async () => {
    const { client } = await withFunction();
    for (let i = 0; i < 55; i++) await client.send(new UpdateFunctionCodeCommand({ FunctionName: 'payments', ZipFile: zip(`code ${i}`), Publish: true }));

    const page = await client.send(new ListVersionsByFunctionCommand({ FunctionName: 'payments', MaxItems: 1000 }));
    const rest = await client.send(new ListVersionsByFunctionCommand({ FunctionName: 'payments', Marker: page.NextMarker }));

    expect(page.Versions).toHaveLength(50);
    expect(rest.Versions?.map((v) => v.Version)).toEqual(['50', '51', '52', '53', '54', '55']);
  });
});
