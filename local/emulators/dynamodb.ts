import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import {
  CreateTableCommand,
  type CreateTableCommandInput,
  DescribeTableCommand,
  DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { LOCAL_CREDENTIALS } from './s3.ts';

const require = createRequire(import.meta.url);
// dynalite ships no types; it returns a plain http.Server backed by an in-memory LevelDB.
const dynalite = require('dynalite') as (options: Record<string, unknown>) => Server;

/** The running DynamoDB emulator. */
export interface LocalDynamoDB {
  readonly endpoint: string;
  readonly client: DynamoDBClient;
  /** Creates a table and waits until it and its indexes are ACTIVE. */
  createTable(input: CreateTableCommandInput): Promise<void>;
  stop(): Promise<void>;
}

type Json = Record<string, unknown>;

const asList = (value: unknown): Json[] =>
  Array.isArray(value) ? (value as Json[]) : value ? [value as Json] : [];

/**
 * The CreateTable input equivalent to a resolved `aws_dynamodb_table` resource: attributes,
 * hash and range keys, and every `global_secondary_index` with its projection.
 */
export function tableFromTerraform(config: Json): CreateTableCommandInput {
  const keySchema = (hash: unknown, range: unknown) => [
    { AttributeName: String(hash), KeyType: 'HASH' as const },
    ...(range ? [{ AttributeName: String(range), KeyType: 'RANGE' as const }] : []),
  ];
  const indexes = asList(config.global_secondary_index).map((index) => ({
    IndexName: String(index.name),
    KeySchema: keySchema(index.hash_key, index.range_key),
    Projection: {
      ProjectionType: String(index.projection_type ?? 'ALL') as 'ALL' | 'KEYS_ONLY' | 'INCLUDE',
      ...(Array.isArray(index.non_key_attributes) && {
        NonKeyAttributes: index.non_key_attributes.map(String),
      }),
    },
    ...(config.billing_mode !== 'PAY_PER_REQUEST' && {
      ProvisionedThroughput: {
        ReadCapacityUnits: Number(index.read_capacity ?? 5),
        WriteCapacityUnits: Number(index.write_capacity ?? 5),
      },
    }),
  }));
  const provisioned = config.billing_mode !== 'PAY_PER_REQUEST';
  return {
    TableName: String(config.name),
    KeySchema: keySchema(config.hash_key, config.range_key),
    AttributeDefinitions: asList(config.attribute).map((a) => ({
      AttributeName: String(a.name),
      AttributeType: String(a.type) as 'S' | 'N' | 'B',
    })),
    BillingMode: provisioned ? 'PROVISIONED' : 'PAY_PER_REQUEST',
    ...(provisioned && {
      ProvisionedThroughput: {
        ReadCapacityUnits: Number(config.read_capacity ?? 5),
        WriteCapacityUnits: Number(config.write_capacity ?? 5),
      },
    }),
    ...(indexes.length > 0 && { GlobalSecondaryIndexes: indexes }),
  };
}

/** Starts dynalite (in memory) on 127.0.0.1; `maxAttempts` 1 makes the client fail fast (tests). */
export async function startDynamoDB(options: {
  region: string;
  maxAttempts?: number;
}): Promise<LocalDynamoDB> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const client = new DynamoDBClient({
    endpoint,
    region: options.region,
    credentials: LOCAL_CREDENTIALS,
    ...(options.maxAttempts !== undefined && { maxAttempts: options.maxAttempts }),
  });
  return {
    endpoint,
    client,
    async createTable(input) {
      await client.send(new CreateTableCommand(input));
      for (let attempt = 0; attempt < 500; attempt++) {
        const { Table } = await client.send(new DescribeTableCommand({ TableName: input.TableName }));
        const indexesActive = (Table?.GlobalSecondaryIndexes ?? []).every((i) => i.IndexStatus === 'ACTIVE');
        if (Table?.TableStatus === 'ACTIVE' && indexesActive) return;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      throw new Error(`Table ${input.TableName} did not become ACTIVE in dynalite.`);
    },
    async stop() {
      client.destroy();
      server.closeAllConnections?.();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
