import { DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import type { PutItemCommandInput } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { onlyCall, recorder, simClientConfig, withoutMetadata } from './simClient.js';

const lockItem = {
  pk: { S: 'lock#prod/web' },
  owner: { S: 'deployctl@runner-7' },
  expiresAt: { N: '1775044800' },
  fencingToken: { N: '42' },
  details: { M: { step: { N: '3' }, strategy: { S: 'canary' }, paused: { BOOL: false }, note: { NULL: true } } },
  steps: { L: [{ N: '10' }, { N: '50' }, { N: '100' }] },
  checksum: { B: new Uint8Array([0xde, 0xad, 0xbe, 0xef]) },
};

describe('DynamoDB over awsJson1_0', () => {
  it('PutItem delivers the AttributeValue unions, the condition expression and its attribute values', async () => {
    const input: PutItemCommandInput = {
      TableName: 'deployctl-locks',
      Item: lockItem,
      ConditionExpression: 'attribute_not_exists(pk) OR (#exp < :now AND #tok < :tok)',
      ExpressionAttributeNames: { '#exp': 'expiresAt', '#tok': 'fencingToken' },
      ExpressionAttributeValues: { ':now': { N: '1775041200' }, ':tok': { N: '42' } },
      ReturnValues: 'ALL_OLD',
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    };
    const world = recorder(() => ({ Attributes: { pk: { S: 'lock#prod/web' }, owner: { S: 'deployctl@runner-3' } } }));
    const client = new DynamoDBClient(simClientConfig(world.dispatch));

    const output = await client.send(new PutItemCommand(input));

    expect(onlyCall(world)).toMatchObject({ service: 'dynamodb', operation: 'PutItem' });
    expect(onlyCall(world).input).toEqual(input);
    expect(output.Attributes).toEqual({ pk: { S: 'lock#prod/web' }, owner: { S: 'deployctl@runner-3' } });
  });

  it('GetItem returns the item with nested maps, lists and binary values', async () => {
    const world = recorder(() => ({ Item: lockItem }));
    const client = new DynamoDBClient(simClientConfig(world.dispatch));
    const input = { TableName: 'deployctl-locks', Key: { pk: { S: 'lock#prod/web' } }, ConsistentRead: true, ProjectionExpression: 'pk, #o', ExpressionAttributeNames: { '#o': 'owner' } };

    const output = await client.send(new GetItemCommand(input));

    expect(onlyCall(world).input).toEqual(input);
    expect(withoutMetadata(output)).toEqual({ Item: lockItem });
  });
});
