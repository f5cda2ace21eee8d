import { createHash } from 'node:crypto';
import {
  CreateFunctionCommand,
  GetFunctionCommand,
  GetFunctionConfigurationCommand,
  InvokeCommand,
  UpdateFunctionCodeCommand,
  UpdateFunctionConfigurationCommand,
} from '@aws-sdk/client-lambda';
import { describe, expect, it } from 'vitest';
import { ARN_PREFIX, ACCOUNT, CHECKOUT, expectAwsError, lambdaWorld, zip } from './fixture.js';

const ROLE = `arn:aws:iam::${ACCOUNT}:role/payments`;
const create = (name: string, code = 'v1') => new CreateFunctionCommand({ FunctionName: name, Role: ROLE, Runtime: 'nodejs20.x', Handler: 'index.handler', Code: { ZipFile: zip(code) } });

describe('Lambda functions', () => {
  it('creates a function Pending with the CodeSha256 of its zip, and it turns Active after the settle time', async () => {
    const { client, clock } = lambdaWorld({ settleSeconds: 5 });

    const created = await client.send(create('payments', 'console.log(1)'));

    expect(created.$metadata.httpStatusCode).toBe(201);
    expect(created).toMatchObject({ FunctionName: 'payments', FunctionArn: `${ARN_PREFIX}:payments`, Version: '$LATEST', State: 'Pending', StateReasonCode: 'Creating', Timeout: 3, MemorySize: 128 });
    expect(created.CodeSha256).toBe(createHash('sha256').update('console.log(1)').digest('base64'));
    expect(created.CodeSize).toBe(14);
    expect(created.LastModified).toBe('2026-01-01T00:00:00.000+0000');
    clock.advance(4_999);
    expect((await client.send(new GetFunctionConfigurationCommand({ FunctionName: 'payments' }))).State).toBe('Pending');
    clock.advance(1);
    const active = await client.send(new GetFunctionConfigurationCommand({ FunctionName: 'payments' }));
    expect(active).toMatchObject({ State: 'Active', LastUpdateStatus: 'Successful' });
    expect(active.StateReason).toBeUndefined();
  });

  it('refuses invocations and updates while the function is still being created', async () => {
    const { client, clock } = lambdaWorld({ settleSeconds: 5 });
    await client.send(create('payments'));

    await expectAwsError(client.send(new InvokeCommand({ FunctionName: 'payments' })), 'ResourceConflictException', 409, 'The operation cannot be performed at this time. The function is currently in the following state: Pending');
    await expectAwsError(client.send(new UpdateFunctionCodeCommand({ FunctionName: 'payments', ZipFile: zip('v2') })), 'ResourceConflictException', 409, /is currently in the following state: 'Pending'/);
    clock.advance(5_000);
    expect((await client.send(new InvokeCommand({ FunctionName: 'payments' }))).StatusCode).toBe(200);
  });

  it('rejects a second function with the same name and a function without code', async () => {
    const { client } = lambdaWorld({ settleSeconds: 0 });
    await client.send(create('payments'));

    await expectAwsError(client.send(create('payments')), 'ResourceConflictException', 409, 'Function already exist: payments');
    await expectAwsError(client.send(new CreateFunctionCommand({ FunctionName: 'empty', Role: ROLE, Runtime: 'nodejs20.x', Handler: 'index.handler', Code: {} })), 'InvalidParameterValueException', 400, /source for function code/);
    await expectAwsError(client.send(new CreateFunctionCommand({ FunctionName: 'img', Role: ROLE, PackageType: 'Image', Code: { ZipFile: zip('x') } })), 'InvalidParameterValueException', 400, /ImageUri/);
  });

  it('finds a function by name, name:qualifier, partial ARN and full ARN, and not in another account', async () => {
    const { client } = lambdaWorld(CHECKOUT);
    const read = (FunctionName: string, Qualifier?: string) => client.send(new GetFunctionConfigurationCommand({ FunctionName, ...(Qualifier ? { Qualifier } : {}) }));

    expect((await read('checkout')).FunctionArn).toBe(`${ARN_PREFIX}:checkout`);
    expect(await read('checkout:2')).toMatchObject({ FunctionArn: `${ARN_PREFIX}:checkout:2`, Version: '2' });
    expect(await read(`${ACCOUNT}:function:checkout`)).toMatchObject({ Version: '$LATEST' });
    expect(await read(`${ARN_PREFIX}:checkout:1`)).toMatchObject({ Version: '1' });
    expect(await read('checkout', '$LATEST')).toMatchObject({ FunctionArn: `${ARN_PREFIX}:checkout:$LATEST`, Version: '$LATEST' });
    await expectAwsError(read('arn:aws:lambda:us-east-1:999999999999:function:checkout'), 'ResourceNotFoundException', 404, 'Function not found: arn:aws:lambda:us-east-1:999999999999:function:checkout');
    await expectAwsError(read('checkout:1', '2'), 'InvalidParameterValueException', 400, 'The derived qualifier from the function name does not match the specified qualifier.');
  });

  it('reads `name:function` as an alias called function, not as a partial ARN', async () => {
    const { client } = lambdaWorld({ ...CHECKOUT, functions: [{ ...CHECKOUT.functions[0]!, aliases: [{ name: 'function', version: 2 }] }] });

    const viaAlias = await client.send(new GetFunctionConfigurationCommand({ FunctionName: 'checkout:function' }));

    expect(viaAlias).toMatchObject({ FunctionArn: `${ARN_PREFIX}:checkout:function`, Version: '2' });
  });

  it('reads an alias as the configuration of its version, under the alias ARN', async () => {
    const { client } = lambdaWorld(CHECKOUT);

    const viaAlias = await client.send(new GetFunctionConfigurationCommand({ FunctionName: 'checkout', Qualifier: 'live' }));

    expect(viaAlias).toMatchObject({ FunctionArn: `${ARN_PREFIX}:checkout:live`, Version: '1' });
  });

  it('answers ResourceNotFoundException for unknown functions, versions and aliases', async () => {
    const { client } = lambdaWorld(CHECKOUT);

    await expectAwsError(client.send(new GetFunctionCommand({ FunctionName: 'nope' })), 'ResourceNotFoundException', 404, `Function not found: ${ARN_PREFIX}:nope`);
    await expectAwsError(client.send(new GetFunctionCommand({ FunctionName: 'checkout', Qualifier: '7' })), 'ResourceNotFoundException', 404, `Function not found: ${ARN_PREFIX}:checkout:7`);
    await expectAwsError(client.send(new GetFunctionCommand({ FunctionName: 'checkout', Qualifier: 'beta' })), 'ResourceNotFoundException', 404, `Function not found: ${ARN_PREFIX}:checkout:beta`);
  });

  it('GetFunction returns configuration, code location and tags', async () => {
    const { client } = lambdaWorld({ settleSeconds: 0 });
    await client.send(new CreateFunctionCommand({ FunctionName: 'img', Role: ROLE, PackageType: 'Image', Code: { ImageUri: `${ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com/img:1` }, Tags: { team: 'payments' } }));
    await client.send(create('zip'));

    const image = await client.send(new GetFunctionCommand({ FunctionName: 'img' }));
    const zipped = await client.send(new GetFunctionCommand({ FunctionName: 'zip' }));

    expect(image.Code).toEqual({ RepositoryType: 'ECR', ImageUri: `${ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com/img:1`, ResolvedImageUri: `${ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com/img:1` });
    expect(image.Tags).toEqual({ team: 'payments' });
    expect(image.Configuration).toMatchObject({ PackageType: 'Image', CodeSha256: createHash('sha256').update(`${ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com/img:1`).digest('hex') });
    expect(zipped.Code?.RepositoryType).toBe('S3');
    expect(zipped.Code?.Location).toMatch(/^https:\/\/awslambda-us-east-1-tasks\.s3\.us-east-1\.amazonaws\.com\/snapshots\/123456789012\/zip-/);
    expect(zipped.Tags).toBeUndefined();
  });
});

describe('Lambda function updates', () => {
  it('updates code: new CodeSha256 and RevisionId, InProgress until the settle time, conflicts meanwhile', async () => {
    const { client, clock } = lambdaWorld({ settleSeconds: 5 });
    await client.send(create('payments'));
    clock.advance(5_000);
    const before = await client.send(new GetFunctionConfigurationCommand({ FunctionName: 'payments' }));

    const updated = await client.send(new UpdateFunctionCodeCommand({ FunctionName: 'payments', ZipFile: zip('v2'), RevisionId: before.RevisionId }));

    expect(updated).toMatchObject({ LastUpdateStatus: 'InProgress', LastUpdateStatusReasonCode: 'Creating', CodeSha256: createHash('sha256').update('v2').digest('base64') });
    expect(updated.RevisionId).not.toBe(before.RevisionId);
    await expectAwsError(client.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'payments', MemorySize: 256 })), 'ResourceConflictException', 409, `The operation cannot be performed at this time. An update is in progress for resource: ${ARN_PREFIX}:payments`);
    clock.advance(5_000);
    expect((await client.send(new GetFunctionConfigurationCommand({ FunctionName: 'payments' }))).LastUpdateStatus).toBe('Successful');
  });

  it('rejects an update with a stale RevisionId with PreconditionFailedException', async () => {
    const { client } = lambdaWorld({ settleSeconds: 0 });
    const created = await client.send(create('payments'));
    await client.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'payments', Description: 'changed' }));

    await expectAwsError(
      client.send(new UpdateFunctionCodeCommand({ FunctionName: 'payments', ZipFile: zip('v3'), RevisionId: created.RevisionId })),
      'PreconditionFailedException',
      412,
      'The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id',
    );
    await expectAwsError(client.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'payments', Timeout: 9, RevisionId: created.RevisionId })), 'PreconditionFailedException', 412);
  });

  it('updates configuration members and leaves the rest', async () => {
    const { client } = lambdaWorld({ settleSeconds: 0 });
    await client.send(create('payments'));

    const updated = await client.send(
      new UpdateFunctionConfigurationCommand({ FunctionName: 'payments', Role: `arn:aws:iam::${ACCOUNT}:role/other`, MemorySize: 512, Environment: { Variables: { STAGE: 'prod' } }, DeadLetterConfig: { TargetArn: 'arn:aws:sqs:us-east-1:123456789012:dlq' } }),
    );

    expect(updated).toMatchObject({ Role: `arn:aws:iam::${ACCOUNT}:role/other`, MemorySize: 512, Timeout: 3, Environment: { Variables: { STAGE: 'prod' } }, DeadLetterConfig: { TargetArn: 'arn:aws:sqs:us-east-1:123456789012:dlq' }, Runtime: 'nodejs20.x' });
    const cleared = await client.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'payments', DeadLetterConfig: {} }));
    expect(cleared.DeadLetterConfig).toBeUndefined();
  });

  it('DryRun validates without changing the code; Publish also publishes a version', async () => {
    const { client } = lambdaWorld({ settleSeconds: 0 });
    const created = await client.send(create('payments', 'v1'));

    const dry = await client.send(new UpdateFunctionCodeCommand({ FunctionName: 'payments', ZipFile: zip('v2'), DryRun: true }));
    expect(dry.CodeSha256).toBe(created.CodeSha256);
    expect((await client.send(new GetFunctionConfigurationCommand({ FunctionName: 'payments' }))).RevisionId).toBe(created.RevisionId);

    const published = await client.send(new UpdateFunctionCodeCommand({ FunctionName: 'payments', ZipFile: zip('v2'), Publish: true }));
    expect(published).toMatchObject({ Version: '1', FunctionArn: `${ARN_PREFIX}:payments:1`, CodeSha256: createHash('sha256').update('v2').digest('base64') });
    await expectAwsError(client.send(new UpdateFunctionCodeCommand({ FunctionName: 'payments' })), 'InvalidParameterValueException', 400);
  });
});
