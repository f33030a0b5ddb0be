import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import {
  type AttributeValue,
  CreateTableCommand,
  type CreateTableCommandInput,
  DeleteItemCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ScanCommand,
} from '@aws-sdk/client-dynamodb';
import { meterDynamoDB, type UsageMeter } from '#local/usage';
import type { FaultRegistry } from '../faults.ts';
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
  /** Turns on TTL for a table: items whose `attributeName` (epoch seconds) has passed are deleted. */
  setTimeToLive(tableName: string, attributeName: string): Promise<void>;
  /**
   * Deletes every expired item of every table with TTL on, as DynamoDB's TTL does in the background
   * (which dynalite lacks); `now` defaults to the emulator's clock. Resolves to the number deleted.
   */
  expireItems(now?: Date): Promise<number>;
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

/** The TTL attribute of a resolved `aws_dynamodb_table`, when its `ttl` block is enabled. */
export function ttlFromTerraform(config: Json): string | undefined {
  const ttl = asList(config.ttl)[0];
  return ttl?.enabled === true && typeof ttl.attribute_name === 'string' ? ttl.attribute_name : undefined;
}

/** DynamoDB leaves items whose TTL lies more than five years in the past alone. */
const TTL_MAX_AGE_SECONDS = 5 * 365 * 24 * 3600;

/**
 * Starts dynalite (in memory) on 127.0.0.1; `maxAttempts` 1 makes the client fail fast (tests).
 * Tables with TTL are swept every `ttlSweepMs` (default a minute; 0 turns the timer off) against
 * `clock` (default the system's).
 */
export async function startDynamoDB(options: {
  region: string;
  maxAttempts?: number;
  clock?: () => Date;
  ttlSweepMs?: number;
  /** Injected faults (tests): while DynamoDB is `unreachable`, every connection is reset. */
  faults?: FaultRegistry;
  /** Counts the request units of every data request. */
  usage?: UsageMeter;
}): Promise<LocalDynamoDB> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  if (options.usage) meterDynamoDB(server, options.usage, options.region);
  const faults = options.faults;
  if (faults) {
    const serve = server.listeners('request') as ((...args: unknown[]) => void)[];
    server.removeAllListeners('request');
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      if (faults.take('dynamodb', String(req.headers['x-amz-target'] ?? 'request'))) {
        req.socket.destroy();
        return;
      }
      for (const listener of serve) listener.call(server, req, res);
    });
  }
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
  const ttlTables = new Map<string, { attribute: string; keys: string[] }>();
  const clock = options.clock ?? (() => new Date());
  const expireItems = async (now: Date = clock()): Promise<number> => {
    const nowSeconds = Math.floor(now.getTime() / 1000);
    let deleted = 0;
    for (const [tableName, { attribute, keys }] of ttlTables) {
      let start: Record<string, AttributeValue> | undefined;
      do {
        const page = await client.send(
          new ScanCommand({ TableName: tableName, ...(start && { ExclusiveStartKey: start }) }),
        );
        for (const item of page.Items ?? []) {
          const value = item[attribute]?.N;
          if (value === undefined) continue;
          const expiresAt = Number(value);
          if (!(expiresAt <= nowSeconds && expiresAt > nowSeconds - TTL_MAX_AGE_SECONDS)) continue;
          const key = Object.fromEntries(keys.map((name) => [name, item[name] as AttributeValue]));
          // Conditional, as the real sweeper: an item whose TTL was just extended stays.
          const result = await client
            .send(
              new DeleteItemCommand({
                TableName: tableName,
                Key: key,
                ConditionExpression: '#ttl = :ttl',
                ExpressionAttributeNames: { '#ttl': attribute },
                ExpressionAttributeValues: { ':ttl': { N: value } },
              }),
            )
            .then(
              () => true,
              (error: Error) => {
                if (error.name === 'ConditionalCheckFailedException') return false;
                throw error;
              },
            );
          if (result) deleted++;
        }
        start = page.LastEvaluatedKey;
      } while (start);
    }
    return deleted;
  };
  const sweepMs = options.ttlSweepMs ?? 60_000;
  const timer =
    sweepMs > 0
      ? setInterval(() => {
          if (ttlTables.size > 0) void expireItems().catch(() => undefined);
        }, sweepMs)
      : undefined;
  timer?.unref();

  return {
    endpoint,
    client,
    async setTimeToLive(tableName, attribute) {
      const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
      const keys = (Table?.KeySchema ?? []).map((k) => String(k.AttributeName));
      ttlTables.set(tableName, { attribute, keys });
    },
    expireItems,
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
      if (timer) clearInterval(timer);
      client.destroy();
      server.closeAllConnections?.();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
