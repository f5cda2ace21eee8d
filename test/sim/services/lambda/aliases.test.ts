import { CreateAliasCommand, DeleteAliasCommand, GetAliasCommand, ListAliasesCommand, UpdateAliasCommand } from '@aws-sdk/client-lambda';
import { describe, expect, it } from 'vitest';
import { ACCOUNT, ARN_PREFIX, CHECKOUT, expectAwsError, lambdaWorld } from './fixture.js';

/** Versions 1-2 share role and DLQ; 3 has another role; 4 another dead-letter queue. */
const MIXED = {
  settleSeconds: 0,
  functions: [
    {
      name: 'checkout',
      role: `arn:aws:iam::${ACCOUNT}:role/checkout`,
      versions: [
        { version: 1, artifact: 'v1' },
        { version: 2, artifact: 'v2' },
        { version: 3, artifact: 'v3', role: `arn:aws:iam::${ACCOUNT}:role/other` },
        { version: 4, artifact: 'v4', deadLetterTarget: `arn:aws:sqs:us-east-1:${ACCOUNT}:dlq` },
      ],
      aliases: [{ name: 'live', version: 1 }],
    },
  ],
};

describe('Lambda CreateAlias', () => {
  it('creates an alias (201) pointing at a version, with routing and a RevisionId', async () => {
    const { client } = lambdaWorld(MIXED);

    const alias = await client.send(new CreateAliasCommand({ FunctionName: 'checkout', Name: 'canary', FunctionVersion: '1', Description: 'canary', RoutingConfig: { AdditionalVersionWeights: { '2': 0.1 } } }));

    expect(alias.$metadata.httpStatusCode).toBe(201);
    expect(alias).toMatchObject({ AliasArn: `${ARN_PREFIX}:checkout:canary`, Name: 'canary', FunctionVersion: '1', Description: 'canary', RoutingConfig: { AdditionalVersionWeights: { '2': 0.1 } } });
    expect(alias.RevisionId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    const read = await client.send(new GetAliasCommand({ FunctionName: `${ARN_PREFIX}:checkout`, Name: 'canary' }));
    expect(read.RevisionId).toBe(alias.RevisionId);
  });

  it('rejects an existing name (409), an unknown version (404) and an all-digit name (model pattern)', async () => {
    const { client } = lambdaWorld(MIXED);

    await expectAwsError(client.send(new CreateAliasCommand({ FunctionName: 'checkout', Name: 'live', FunctionVersion: '2' })), 'ResourceConflictException', 409, `Alias already exists: ${ARN_PREFIX}:checkout:live`);
    await expectAwsError(client.send(new CreateAliasCommand({ FunctionName: 'checkout', Name: 'next', FunctionVersion: '9' })), 'ResourceNotFoundException', 404, `Function not found: ${ARN_PREFIX}:checkout:9`);
    await expectAwsError(client.send(new CreateAliasCommand({ FunctionName: 'checkout', Name: '123', FunctionVersion: '1' })), 'ValidationException', 400);
    await expectAwsError(client.send(new CreateAliasCommand({ FunctionName: 'nope', Name: 'x', FunctionVersion: '1' })), 'ResourceNotFoundException', 404, `Function not found: ${ARN_PREFIX}:nope`);
  });

  it('may point at $LATEST, but not with weighted routing', async () => {
    const { client } = lambdaWorld(MIXED);

    expect((await client.send(new CreateAliasCommand({ FunctionName: 'checkout', Name: 'dev', FunctionVersion: '$LATEST' }))).FunctionVersion).toBe('$LATEST');
    await expectAwsError(
      client.send(new CreateAliasCommand({ FunctionName: 'checkout', Name: 'dev2', FunctionVersion: '$LATEST', RoutingConfig: { AdditionalVersionWeights: { '2': 0.5 } } })),
      'InvalidParameterValueException',
      400,
      '$LATEST is not supported for an alias pointing to more than 1 version',
    );
  });
});

describe('Lambda alias routing rules', () => {
  const route = (weights: Record<string, number>, FunctionVersion = '1') => new UpdateAliasCommand({ FunctionName: 'checkout', Name: 'live', FunctionVersion, RoutingConfig: { AdditionalVersionWeights: weights } });

  it('allows one additional published version with a weight in 0..1', async () => {
    const { client } = lambdaWorld(MIXED);

    expect((await client.send(route({ '2': 0 }))).RoutingConfig?.AdditionalVersionWeights).toEqual({ '2': 0 });
    expect((await client.send(route({ '2': 1 }))).RoutingConfig?.AdditionalVersionWeights).toEqual({ '2': 1 });
    expect((await client.send(route({ '2': 0.25 }))).RoutingConfig?.AdditionalVersionWeights).toEqual({ '2': 0.25 });
  });

  it('rejects two additional versions, the primary as additional version, and an unknown version', async () => {
    const { client } = lambdaWorld(MIXED);

    await expectAwsError(client.send(route({ '2': 0.1, '4': 0.1 })), 'InvalidParameterValueException', 400, 'Number of items in AdditionalVersionWeights cannot be greater than 1');
    await expectAwsError(client.send(route({ '1': 0.1 })), 'InvalidParameterValueException', 400, 'Invalid function version 1. Function version 1 is already included in routing configuration.');
    await expectAwsError(client.send(route({ '9': 0.1 })), 'ResourceNotFoundException', 404, `Function not found: ${ARN_PREFIX}:checkout:9`);
  });

  it('rejects weights outside 0..1 and $LATEST as a key before the call reaches the world (model constraints)', async () => {
    const { client, world } = lambdaWorld(MIXED);

    await expectAwsError(client.send(route({ '2': 1.01 })), 'ValidationException', 400);
    await expectAwsError(client.send(route({ '2': -0.01 })), 'ValidationException', 400);
    await expectAwsError(client.send(route({ $LATEST: 0.1 })), 'ValidationException', 400);
    expect(world.mutatingCalls('lambda')).toEqual([]);
  });

  it('requires the same execution role and the same dead-letter queue for both versions', async () => {
    const { client } = lambdaWorld(MIXED);

    await expectAwsError(client.send(route({ '3': 0.1 })), 'InvalidParameterValueException', 400, 'Specified versions must be associated with the same execution role');
    await expectAwsError(client.send(route({ '4': 0.1 })), 'InvalidParameterValueException', 400, /same dead-letter queue/);
  });

  it('validates the resulting pair when only FunctionVersion changes', async () => {
    const { client } = lambdaWorld(MIXED);
    await client.send(route({ '2': 0.1 }));

    await expectAwsError(client.send(new UpdateAliasCommand({ FunctionName: 'checkout', Name: 'live', FunctionVersion: '2' })), 'InvalidParameterValueException', 400, /already included in routing configuration/);
    const promoted = await client.send(new UpdateAliasCommand({ FunctionName: 'checkout', Name: 'live', FunctionVersion: '2', RoutingConfig: { AdditionalVersionWeights: {} } }));
    expect(promoted.FunctionVersion).toBe('2');
    expect(promoted.RoutingConfig).toBeUndefined();
  });
});

describe('Lambda UpdateAlias, GetAlias, DeleteAlias, ListAliases', () => {
  it('changes the RevisionId on every update and rejects a stale one with 412', async () => {
    const { client } = lambdaWorld(CHECKOUT);
    const read = await client.send(new GetAliasCommand({ FunctionName: 'checkout', Name: 'live' }));

    const updated = await client.send(new UpdateAliasCommand({ FunctionName: 'checkout', Name: 'live', RoutingConfig: { AdditionalVersionWeights: { '2': 0.1 } }, RevisionId: read.RevisionId }));

    expect(updated.RevisionId).not.toBe(read.RevisionId);
    await expectAwsError(
      client.send(new UpdateAliasCommand({ FunctionName: 'checkout', Name: 'live', RoutingConfig: { AdditionalVersionWeights: { '2': 0.5 } }, RevisionId: read.RevisionId })),
      'PreconditionFailedException',
      412,
      'The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id',
    );
    expect((await client.send(new GetAliasCommand({ FunctionName: 'checkout', Name: 'live' }))).RoutingConfig?.AdditionalVersionWeights).toEqual({ '2': 0.1 });
  });

  it('keeps routing and description when UpdateAlias leaves them out, and clears routing with an empty map', async () => {
    const { client } = lambdaWorld(CHECKOUT);
    await client.send(new UpdateAliasCommand({ FunctionName: 'checkout', Name: 'live', Description: 'prod', RoutingConfig: { AdditionalVersionWeights: { '2': 0.3 } } }));

    const kept = await client.send(new UpdateAliasCommand({ FunctionName: 'checkout', Name: 'live', FunctionVersion: '1' }));
    const cleared = await client.send(new UpdateAliasCommand({ FunctionName: 'checkout', Name: 'live', RoutingConfig: { AdditionalVersionWeights: {} } }));

    expect(kept).toMatchObject({ Description: 'prod', RoutingConfig: { AdditionalVersionWeights: { '2': 0.3 } } });
    expect(cleared.RoutingConfig).toBeUndefined();
    expect(cleared.Description).toBe('prod');
  });

  it('answers 404 with AWS messages for unknown aliases on Get and Update, and 204 when deleting one', async () => {
    const { client } = lambdaWorld(CHECKOUT);

    await expectAwsError(client.send(new GetAliasCommand({ FunctionName: 'checkout', Name: 'beta' })), 'ResourceNotFoundException', 404, `Cannot find alias arn: ${ARN_PREFIX}:checkout:beta`);
    await expectAwsError(client.send(new UpdateAliasCommand({ FunctionName: 'checkout', Name: 'beta', FunctionVersion: '1' })), 'ResourceNotFoundException', 404, `Alias not found: ${ARN_PREFIX}:checkout:beta`);
    expect((await client.send(new DeleteAliasCommand({ FunctionName: 'checkout', Name: 'beta' }))).$metadata.httpStatusCode).toBe(204);
    await expectAwsError(client.send(new DeleteAliasCommand({ FunctionName: 'nope', Name: 'live' })), 'ResourceNotFoundException', 404);
  });

  it('deletes an alias', async () => {
    const { client } = lambdaWorld(CHECKOUT);

    const deleted = await client.send(new DeleteAliasCommand({ FunctionName: 'checkout', Name: 'live' }));

    expect(deleted.$metadata.httpStatusCode).toBe(204);
    await expectAwsError(client.send(new GetAliasCommand({ FunctionName: 'checkout', Name: 'live' })), 'ResourceNotFoundException', 404);
  });

  it('lists aliases by name, filtered by FunctionVersion, page by page', async () => {
    const { client } = lambdaWorld(CHECKOUT);
    for (const [Name, FunctionVersion] of [['blue', '2'], ['green', '1'], ['alpha', '2']] as const) await client.send(new CreateAliasCommand({ FunctionName: 'checkout', Name, FunctionVersion }));

    const all = await client.send(new ListAliasesCommand({ FunctionName: 'checkout' }));
    const onTwo = await client.send(new ListAliasesCommand({ FunctionName: 'checkout', FunctionVersion: '2' }));
    const first = await client.send(new ListAliasesCommand({ FunctionName: 'checkout', MaxItems: 3 }));
    const rest = await client.send(new ListAliasesCommand({ FunctionName: 'checkout', MaxItems: 3, Marker: first.NextMarker }));

    expect(all.Aliases?.map((a) => a.Name)).toEqual(['alpha', 'blue', 'green', 'live']);
    expect(onTwo.Aliases?.map((a) => a.Name)).toEqual(['alpha', 'blue']);
    expect(first.Aliases?.map((a) => a.Name)).toEqual(['alpha', 'blue', 'green']);
    expect(rest.Aliases?.map((a) => a.AliasArn)).toEqual([`${ARN_PREFIX}:checkout:live`]);
    expect(rest.NextMarker).toBeUndefined();
  });
});
