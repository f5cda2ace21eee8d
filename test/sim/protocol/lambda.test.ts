import {
  CreateAliasCommand,
  GetAliasCommand,
  GetFunctionCommand,
  InvokeCommand,
  LambdaClient,
  ListAliasesCommand,
  PublishVersionCommand,
  UntagResourceCommand,
  UpdateAliasCommand,
} from '@aws-sdk/client-lambda';
import { describe, expect, it } from 'vitest';
import { onlyCall, recorder, simClientConfig, withoutMetadata } from './simClient.js';

const FUNCTION_ARN = 'arn:aws:lambda:us-east-1:123456789012:function:checkout';
const alias = {
  AliasArn: `${FUNCTION_ARN}:live`,
  Name: 'live',
  FunctionVersion: '7',
  Description: 'production traffic',
  RoutingConfig: { AdditionalVersionWeights: { '8': 0.05 } },
  RevisionId: '1d6f8e4a-7d44-4a84-9f3c-1c7d3f1c9a01',
};

describe('Lambda over restJson1', () => {
  it('GetAlias reads FunctionName and Name from the URI (an ARN with colons survives encoding)', async () => {
    const world = recorder(() => alias);
    const client = new LambdaClient(simClientConfig(world.dispatch));

    const output = await client.send(new GetAliasCommand({ FunctionName: FUNCTION_ARN, Name: 'live' }));

    expect(onlyCall(world)).toMatchObject({ service: 'lambda', operation: 'GetAlias', input: { FunctionName: FUNCTION_ARN, Name: 'live' } });
    expect(withoutMetadata(output)).toEqual(alias);
  });

  it('UpdateAlias delivers the RoutingConfig weights map and RevisionId from the body', async () => {
    const input = {
      FunctionName: 'checkout',
      Name: 'live',
      FunctionVersion: '7',
      RoutingConfig: { AdditionalVersionWeights: { '8': 0.25 } },
      RevisionId: alias.RevisionId,
    };
    const world = recorder(() => ({ ...alias, RoutingConfig: input.RoutingConfig }));
    const client = new LambdaClient(simClientConfig(world.dispatch));

    const output = await client.send(new UpdateAliasCommand(input));

    expect(onlyCall(world).input).toEqual(input);
    expect(output.RoutingConfig).toEqual({ AdditionalVersionWeights: { '8': 0.25 } });
    expect(output.$metadata.httpStatusCode).toBe(200);
  });

  it('CreateAlias answers 201 as the model says', async () => {
    const world = recorder(() => alias);
    const client = new LambdaClient(simClientConfig(world.dispatch));
    const input = { FunctionName: 'checkout', Name: 'live', FunctionVersion: '7', RoutingConfig: { AdditionalVersionWeights: { '8': 0.05 } } };

    const output = await client.send(new CreateAliasCommand(input));

    expect(onlyCall(world).input).toEqual(input);
    expect(output.$metadata.httpStatusCode).toBe(201);
    expect(withoutMetadata(output)).toEqual(alias);
  });

  it('PublishVersion answers 201 with the function configuration', async () => {
    const configuration = {
      FunctionName: 'checkout',
      FunctionArn: `${FUNCTION_ARN}:8`,
      Runtime: 'nodejs22.x',
      Role: 'arn:aws:iam::123456789012:role/checkout',
      Handler: 'index.handler',
      CodeSize: 5120,
      Timeout: 30,
      MemorySize: 512,
      LastModified: '2026-04-01T12:00:00.000+0000',
      CodeSha256: 'n3sZ8e0ZQ8tN0mCSmFZxbJk6kE1O0Vv0Y2Rr3m0Ea3U=',
      Version: '8',
      State: 'Active',
      LastUpdateStatus: 'Successful',
      Architectures: ['arm64'],
      RevisionId: 'b1c2',
    };
    const world = recorder(() => configuration);
    const client = new LambdaClient(simClientConfig(world.dispatch));

    const output = await client.send(new PublishVersionCommand({ FunctionName: 'checkout', Description: 'build 1234', CodeSha256: configuration.CodeSha256 }));

    expect(onlyCall(world).input).toEqual({ FunctionName: 'checkout', Description: 'build 1234', CodeSha256: configuration.CodeSha256 });
    expect(output.$metadata.httpStatusCode).toBe(201);
    expect(withoutMetadata(output)).toEqual(configuration);
  });

  it('GetFunction takes Qualifier from the query string and returns configuration, code and tags', async () => {
    const fn = {
      Configuration: { FunctionName: 'checkout', FunctionArn: `${FUNCTION_ARN}:7`, Version: '7', State: 'Active', MemorySize: 512 },
      Code: { RepositoryType: 'S3', Location: 'https://example.invalid/code.zip' },
      Tags: { team: 'payments' },
      Concurrency: { ReservedConcurrentExecutions: 50 },
    };
    const world = recorder(() => fn);
    const client = new LambdaClient(simClientConfig(world.dispatch));

    const output = await client.send(new GetFunctionCommand({ FunctionName: 'checkout', Qualifier: '7' }));

    expect(onlyCall(world).input).toEqual({ FunctionName: 'checkout', Qualifier: '7' });
    expect(withoutMetadata(output)).toEqual(fn);
  });

  it('Invoke binds headers and a blob payload both ways, and takes the status code from the output', async () => {
    const payload = new TextEncoder().encode(JSON.stringify({ probe: 'canary' }));
    const world = recorder(() => ({
      StatusCode: 200,
      FunctionError: 'Unhandled',
      ExecutedVersion: '8',
      LogResult: Buffer.from('START RequestId: 1').toString('base64'),
      Payload: new TextEncoder().encode('{"errorMessage":"boom"}'),
    }));
    const client = new LambdaClient(simClientConfig(world.dispatch));

    const output = await client.send(new InvokeCommand({ FunctionName: 'checkout', Qualifier: 'live', InvocationType: 'RequestResponse', LogType: 'Tail', Payload: payload }));

    expect(onlyCall(world).input).toEqual({ FunctionName: 'checkout', Qualifier: 'live', InvocationType: 'RequestResponse', LogType: 'Tail', Payload: payload });
    expect(output).toMatchObject({ StatusCode: 200, FunctionError: 'Unhandled', ExecutedVersion: '8', LogResult: Buffer.from('START RequestId: 1').toString('base64') });
    expect(new TextDecoder().decode(output.Payload)).toBe('{"errorMessage":"boom"}');
  });

  it('typed and repeated query-string members: ListAliases MaxItems, UntagResource tagKeys (204, no body)', async () => {
    const world = recorder((call) => (call.operation === 'ListAliases' ? { Aliases: [alias], NextMarker: 'm2' } : undefined));
    const client = new LambdaClient(simClientConfig(world.dispatch));

    const listed = await client.send(new ListAliasesCommand({ FunctionName: 'checkout', FunctionVersion: '7', MaxItems: 5, Marker: 'm1' }));
    const untagged = await client.send(new UntagResourceCommand({ Resource: FUNCTION_ARN, TagKeys: ['team', 'cost-centre'] }));

    expect(world.calls.map((call) => call.input)).toEqual([
      { FunctionName: 'checkout', FunctionVersion: '7', MaxItems: 5, Marker: 'm1' },
      { Resource: FUNCTION_ARN, TagKeys: ['team', 'cost-centre'] },
    ]);
    expect(withoutMetadata(listed)).toEqual({ Aliases: [alias], NextMarker: 'm2' });
    expect(untagged.$metadata.httpStatusCode).toBe(204);
  });
});
