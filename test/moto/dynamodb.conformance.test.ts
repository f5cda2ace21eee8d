import {
  CreateTableCommand,
  DeleteItemCommand,
  DescribeTableCommand,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  ScanCommand,
  type AttributeValue,
} from '@aws-sdk/client-dynamodb';
import { expect, it } from 'vitest';
import { Transcript, motoSide, ok } from './conformance.js';
import { checkedDynamo } from './dynamoClient.js';
import { describeWithMoto } from './motoServer.js';

/**
 * The simulated world has no DynamoDB, so moto's answers to the exact calls src/state/dynamoStore.ts makes are
 * compared with what AWS documents (API reference: PutItem/DeleteItem ConditionExpression, Query/Scan paging,
 * CreateTable), and every request is checked against the official model.
 */
describeWithMoto('DynamoDB conformance: moto answers the state store calls as AWS documents them', (moto) => {
  it('table creation, conditional writes, consistent reads, paging, and the modeled errors', async () => {
    const { client, invalid, operations } = checkedDynamo(moto());
    const t = new Transcript(motoSide(moto()));
    const table = 'deployctl-conformance';
    const key = (pk: string, sk: string): Record<string, AttributeValue> => ({ pk: { S: pk }, sk: { S: sk } });
    const create = new CreateTableCommand({
      TableName: table,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
    });
    await t.call('CreateTable', () => client.send(create));
    await t.attempt('CreateTable again', () => client.send(create));
    await t.call('DescribeTable', () => client.send(new DescribeTableCommand({ TableName: table })));

    const record = (revision: number) => ({ ...key('deployment#d-1', 'record'), data: { S: '{}' }, revision: { N: String(revision) } });
    await t.call('PutItem create', () => client.send(new PutItemCommand({ TableName: table, Item: record(1), ConditionExpression: 'attribute_not_exists(pk)' })));
    await t.attempt('PutItem create again', () => client.send(new PutItemCommand({ TableName: table, Item: record(1), ConditionExpression: 'attribute_not_exists(pk)' })));
    const update = (expected: number) =>
      client.send(new PutItemCommand({ TableName: table, Item: record(expected + 1), ConditionExpression: '#rev = :expected', ExpressionAttributeNames: { '#rev': 'revision' }, ExpressionAttributeValues: { ':expected': { N: String(expected) } } }));
    await t.call('PutItem update at revision 1', () => update(1));
    await t.attempt('PutItem stale update at revision 1', () => update(1));
    await t.attempt('PutItem update of a missing item', () =>
      client.send(new PutItemCommand({ TableName: table, Item: { ...record(2), pk: { S: 'deployment#nope' } }, ConditionExpression: '#rev = :expected', ExpressionAttributeNames: { '#rev': 'revision' }, ExpressionAttributeValues: { ':expected': { N: '1' } } })),
    );
    await t.call('GetItem', () => client.send(new GetItemCommand({ TableName: table, Key: key('deployment#d-1', 'record'), ConsistentRead: true })));
    for (const at of [3, 1, 2]) await client.send(new PutItemCommand({ TableName: table, Item: { ...key('deployment#d-1', `request#${at}#r${at}`), data: { S: `{"at":${at}}` } } }));
    await t.call('Query page 1', () => client.send(new QueryCommand({ TableName: table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': { S: 'deployment#d-1' } }, ConsistentRead: true, Limit: 2 })));
    const first = ok<{ LastEvaluatedKey?: Record<string, AttributeValue> }>(t.answerOf('Query page 1'));
    await t.call('Query page 2', () =>
      client.send(new QueryCommand({ TableName: table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': { S: 'deployment#d-1' } }, ConsistentRead: true, Limit: 2, ExclusiveStartKey: first.LastEvaluatedKey })),
    );
    await client.send(new PutItemCommand({ TableName: table, Item: { ...key('deployment#d-2', 'record'), data: { S: '{}' } } }));
    await client.send(new PutItemCommand({ TableName: table, Item: { ...key('lock#x', 'lock'), instance: { S: 'a' } } }));
    await t.call('Scan filtered, Limit 2', () => client.send(new ScanCommand({ TableName: table, FilterExpression: 'sk = :record', ExpressionAttributeValues: { ':record': { S: 'record' } }, Limit: 2 })));
    await t.attempt('DeleteItem with a condition that does not hold', () =>
      client.send(new DeleteItemCommand({ TableName: table, Key: key('lock#x', 'lock'), ConditionExpression: 'instance = :instance', ExpressionAttributeValues: { ':instance': { S: 'b' } } })),
    );
    await t.call('DeleteItem with a condition that holds', () =>
      client.send(new DeleteItemCommand({ TableName: table, Key: key('lock#x', 'lock'), ConditionExpression: 'instance = :instance', ExpressionAttributeValues: { ':instance': { S: 'a' } } })),
    );
    await t.attempt('GetItem on a missing table', () => client.send(new GetItemCommand({ TableName: 'deployctl-missing', Key: key('a', 'b') })));

    expect(invalid).toEqual([]);
    expect(new Set(operations)).toEqual(new Set(['CreateTable', 'DescribeTable', 'PutItem', 'GetItem', 'Query', 'Scan', 'DeleteItem']));
    expect(ok(t.answerOf('CreateTable'))).toMatchObject({ TableDescription: { TableName: table, BillingModeSummary: { BillingMode: 'PAY_PER_REQUEST' } } });
    expect(t.answerOf('CreateTable again')).toEqual({ error: 'ResourceInUseException', status: 400 });
    expect(ok(t.answerOf('DescribeTable'))).toMatchObject({ Table: { TableStatus: 'ACTIVE', KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }] } });
    for (const step of ['PutItem create again', 'PutItem stale update at revision 1', 'PutItem update of a missing item', 'DeleteItem with a condition that does not hold']) {
      expect(t.answerOf(step), step).toEqual({ error: 'ConditionalCheckFailedException', status: 400 });
    }
    expect(ok(t.answerOf('GetItem'))).toMatchObject({ Item: { revision: { N: '2' } } });
    // Query returns items in sort-key order and pages by Limit with LastEvaluatedKey.
    const page1 = ok<{ Items: Record<string, AttributeValue>[] }>(t.answerOf('Query page 1'));
    const page2 = ok<{ Items: Record<string, AttributeValue>[]; LastEvaluatedKey?: unknown }>(t.answerOf('Query page 2'));
    expect([...page1.Items, ...page2.Items].map((i) => i.sk?.S)).toEqual(['record', 'request#1#r1', 'request#2#r2', 'request#3#r3']);
    expect(first.LastEvaluatedKey).toEqual(key('deployment#d-1', 'request#1#r1'));
    // Scan: Limit bounds the items read before the filter (AWS), so a filtered page may be short and still continue.
    const scan = ok<{ Items: unknown[]; ScannedCount: number; LastEvaluatedKey?: unknown }>(t.answerOf('Scan filtered, Limit 2'));
    expect(scan.ScannedCount).toBe(2);
    expect(scan.Items.length).toBeLessThanOrEqual(2);
    expect(scan.LastEvaluatedKey).toBeDefined();
    expect(t.answerOf('GetItem on a missing table')).toEqual({ error: 'ResourceNotFoundException', status: 400 });
  });
});
