import { hostname } from 'node:os';
import type { DynamoDBClient} from '@aws-sdk/client-dynamodb';
import { ConditionalCheckFailedException, CreateTableCommand, DescribeTableCommand, GetItemCommand, PutItemCommand, QueryCommand, ResourceInUseException, ScanCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { RealClock } from '../time/clock.js';
import { AwsClients } from '../aws/clients.js';
import { canTakeOver, processAlive } from './lockRules.js';
import { ConflictError, type ControlRequest, type DeploymentRecord, type DeploymentStore, type LockHolder, type LockResult } from './types.js';

type Item = Record<string, AttributeValue>;

/**
 * The shared state store for teams and fleets of CI runners, in one DynamoDB table (pk/sk):
 *   deployment#<id> / record          the record (JSON), written only if `revision` is what the writer read
 *   deployment#<id> / request#<t>#<u> control requests appended by other processes (never conflict with the owner)
 *   lock#<key>      / lock            the per-target lease, replaced only by compare-and-swap on its instance
 */
export class DynamoStore implements DeploymentStore {
  readonly kind = 'dynamodb';

  constructor(
    private readonly client: DynamoDBClient,
    private readonly table: string,
  ) {}

  async create(record: DeploymentRecord): Promise<DeploymentRecord> {
    const created = { ...record, revision: 1 };
    await this.put(recordItem(created), 'attribute_not_exists(pk)', {}, `deployment ${record.id} already exists`);
    return created;
  }

  async get(id: string): Promise<DeploymentRecord | undefined> {
    const items = await this.queryAll(`deployment#${id}`);
    const recordItem = items.find((i) => i.sk?.S === 'record');
    if (!recordItem?.data?.S) return undefined;
    const record = JSON.parse(recordItem.data.S) as DeploymentRecord;
    const requests = items.filter((i) => i.sk?.S?.startsWith('request#') && i.data?.S).map((i) => JSON.parse(i.data!.S!) as ControlRequest);
    return { ...record, requests };
  }

  async update(record: DeploymentRecord): Promise<DeploymentRecord> {
    const next = { ...record, revision: record.revision + 1 };
    await this.put(recordItem(next), '#rev = :expected', { ':expected': { N: String(record.revision) } }, `deployment ${record.id} changed since revision ${record.revision}`);
    return next;
  }

  /** Every deployment with its pending control requests (one scan of the deployment items). */
  async list(): Promise<DeploymentRecord[]> {
    const records = new Map<string, DeploymentRecord>();
    const requests = new Map<string, ControlRequest[]>();
    let start: Item | undefined;
    do {
      const page = await this.client.send(new ScanCommand({ TableName: this.table, FilterExpression: 'begins_with(pk, :deployment)', ExpressionAttributeValues: { ':deployment': { S: 'deployment#' } }, ...(start ? { ExclusiveStartKey: start } : {}) }));
      for (const item of page.Items ?? []) {
        const pk = item.pk?.S ?? '';
        if (!item.data?.S) continue;
        if (item.sk?.S === 'record') records.set(pk, JSON.parse(item.data.S) as DeploymentRecord);
        else requests.set(pk, [...(requests.get(pk) ?? []), JSON.parse(item.data.S) as ControlRequest]);
      }
      start = page.LastEvaluatedKey;
    } while (start);
    return [...records.entries()].map(([pk, r]) => ({ ...r, requests: (requests.get(pk) ?? []).sort((a, b) => a.at - b.at) })).sort((a, b) => b.createdAt - a.createdAt);
  }

  async request(id: string, request: ControlRequest): Promise<void> {
    const exists = await this.client.send(new GetItemCommand({ TableName: this.table, Key: { pk: { S: `deployment#${id}` }, sk: { S: 'record' } }, ProjectionExpression: 'pk', ConsistentRead: true }));
    if (!exists.Item) throw new ConflictError(`deployment ${id} does not exist`);
    await this.client.send(new PutItemCommand({ TableName: this.table, Item: { pk: { S: `deployment#${id}` }, sk: { S: `request#${request.at}#${request.id}` }, data: { S: JSON.stringify(request) } } }));
  }

  async acquire(lockKey: string, holder: LockHolder): Promise<LockResult> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const current = await this.holderOf(lockKey);
      if (!canTakeOver(current, holder, Date.now(), processAlive, hostname())) return { acquired: false, holder: current! };
      try {
        await this.writeLock(lockKey, holder, current);
        return { acquired: true };
      } catch (error) {
        if (!(error instanceof ConflictError)) throw error;
      }
    }
    // Five lost races in a row: someone else keeps winning; report them (or retry once if the lock vanished).
    const current = await this.holderOf(lockKey);
    if (current) return { acquired: false, holder: current };
    await this.writeLock(lockKey, holder, undefined);
    return { acquired: true };
  }

  async renew(lockKey: string, holder: LockHolder): Promise<boolean> {
    const current = await this.holderOf(lockKey);
    if (!current || current.instance !== holder.instance) return false;
    try {
      await this.writeLock(lockKey, holder, current);
      return true;
    } catch (error) {
      if (error instanceof ConflictError) return false;
      throw error;
    }
  }

  async release(lockKey: string, deploymentId: string): Promise<void> {
    const current = await this.holderOf(lockKey);
    if (current?.deploymentId !== deploymentId) return;
    const { DeleteItemCommand } = await import('@aws-sdk/client-dynamodb');
    await this.client
      .send(new DeleteItemCommand({ TableName: this.table, Key: lockKeyOf(lockKey), ConditionExpression: 'instance = :instance', ExpressionAttributeValues: { ':instance': { S: current.instance } } }))
      .catch((error: unknown) => {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      });
  }

  async holderOf(lockKey: string): Promise<LockHolder | undefined> {
    const result = await this.client.send(new GetItemCommand({ TableName: this.table, Key: lockKeyOf(lockKey), ConsistentRead: true }));
    return result.Item?.holder?.S ? (JSON.parse(result.Item.holder.S) as LockHolder) : undefined;
  }

  /** Replaces the lock only if it is still the one we read (compare-and-swap on the instance). */
  private async writeLock(lockKey: string, holder: LockHolder, seen: LockHolder | undefined): Promise<void> {
    const item = { ...lockKeyOf(lockKey), holder: { S: JSON.stringify(holder) }, instance: { S: holder.instance }, deploymentId: { S: holder.deploymentId } };
    if (seen) await this.put(item, 'instance = :seen', { ':seen': { S: seen.instance } }, `lock ${lockKey} changed`);
    else await this.put(item, 'attribute_not_exists(pk)', {}, `lock ${lockKey} was taken`);
  }

  private async put(item: Item, condition: string, values: Item, conflict: string): Promise<void> {
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.table,
          Item: item,
          ConditionExpression: condition,
          ...(condition.includes('#rev') ? { ExpressionAttributeNames: { '#rev': 'revision' } } : {}),
          ...(Object.keys(values).length > 0 ? { ExpressionAttributeValues: values } : {}),
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) throw new ConflictError(conflict);
      throw error;
    }
  }

  private async queryAll(pk: string): Promise<Item[]> {
    const items: Item[] = [];
    let start: Item | undefined;
    do {
      const page = await this.client.send(new QueryCommand({ TableName: this.table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': { S: pk } }, ConsistentRead: true, ...(start ? { ExclusiveStartKey: start } : {}) }));
      items.push(...(page.Items ?? []));
      start = page.LastEvaluatedKey;
    } while (start);
    return items;
  }
}

function recordItem(record: DeploymentRecord): Item {
  const { requests: _requests, ...rest } = record;
  return {
    pk: { S: `deployment#${record.id}` },
    sk: { S: 'record' },
    data: { S: JSON.stringify({ ...rest, requests: [] }) },
    revision: { N: String(record.revision) },
    status: { S: record.status },
    updatedAt: { N: String(record.updatedAt) },
  };
}

function lockKeyOf(lockKey: string): Item {
  return { pk: { S: `lock#${lockKey}` }, sk: { S: 'lock' } };
}

async function dynamoClient(aws: { region?: string; profile?: string; endpointUrl?: string; roleArn?: string }): Promise<DynamoDBClient> {
  return new AwsClients({ ...aws, clock: new RealClock() }).get('dynamodb');
}

export async function createDynamoStore(table: string, aws: { region?: string; profile?: string; endpointUrl?: string; roleArn?: string }): Promise<DynamoStore> {
  return new DynamoStore(await dynamoClient(aws), table);
}

/** deployctl init-state-table: an on-demand table with pk/sk; waits until it is ACTIVE. False if it existed. */
export async function createStateTable(table: string, aws: { region?: string; profile?: string; endpointUrl?: string; roleArn?: string }, client?: DynamoDBClient): Promise<boolean> {
  const dynamo = client ?? (await dynamoClient(aws));
  let created = true;
  try {
    await dynamo.send(
      new CreateTableCommand({
        TableName: table,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
      }),
    );
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
    created = false;
  }
  for (let i = 0; i < 60; i++) {
    const described = await dynamo.send(new DescribeTableCommand({ TableName: table }));
    if (described.Table?.TableStatus === 'ACTIVE') return created;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  throw new Error(`DynamoDB table ${table} did not become ACTIVE within 60 s`);
}
