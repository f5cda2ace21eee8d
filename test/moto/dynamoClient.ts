import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { validateInput } from '../../src/sim/protocol/index.js';
import { motoClientConfig, type MotoServer } from './motoServer.js';

export interface CheckedDynamo {
  readonly client: DynamoDBClient;
  /** Every operation sent, in order. */
  readonly operations: string[];
  /** Requests that break the official DynamoDB model (src/sim/models/dynamodb.json), one line each. */
  readonly invalid: string[];
}

/**
 * A DynamoDB client for moto whose every request is also checked against the official model by the sim's
 * validator: the simulated world has no DynamoDB, so the model stands in for it on the request side.
 */
export function checkedDynamo(moto: MotoServer): CheckedDynamo {
  const client = new DynamoDBClient(motoClientConfig(moto));
  const operations: string[] = [];
  const invalid: string[] = [];
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const operation = String(context.commandName ?? '').replace(/Command$/, '');
      operations.push(operation);
      const result = validateInput('dynamodb', operation, args.input as Record<string, unknown>);
      if (!result.valid) invalid.push(`${operation}: ${result.messages.join('; ')}`);
      return next(args);
    },
    { step: 'initialize', name: 'deployctlModelCheck' },
  );
  return { client, operations, invalid };
}
