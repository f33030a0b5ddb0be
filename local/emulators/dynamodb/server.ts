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
import { type FaultRegistry, LOCAL_CREDENTIALS, type ServedEmulator } from '#local/emulators/common';
import { meterDynamoDB, type UsageMeter } from '#local/usage';

const require = createRequire(import.meta.url);
// dynalite ships no types; it returns a plain http.Server backed by an in-memory LevelDB.
const dynalite = require('dynalite') as (options: Record<string, unknown>) => Server;

/** A table as `aws_dynamodb_table` declares it: its CreateTable input and its TTL attribute, if on. */
export interface TableSpec {
  readonly input: CreateTableCommandInput;
  readonly ttlAttribute?: string;
}

/** The running DynamoDB emulator. */
export interface LocalDynamoDB extends ServedEmulator {
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
}

/** DynamoDB leaves items whose TTL lies more than five years in the past alone. */
const TTL_MAX_AGE_SECONDS = 5 * 365 * 24 * 3600;

/**
 * Starts dynalite (in memory) on 127.0.0.1; `maxAttempts` 1 makes the client fail fast (tests).
 * Tables with TTL are swept every `ttlSweepMs` (default a minute; 0 turns the timer off) against
 * `clock` (default the system's). The `tables` are created (TTL on where declared) before it resolves.
 */
export async function startDynamoDB(options: {
  region: string;
  maxAttempts?: number;
  clock?: () => Date;
  ttlSweepMs?: number;
  /** Injected faults (tests): while DynamoDB is `unreachable`, every connection is reset. */
  faults?: FaultRegistry;
  tables?: readonly TableSpec[];
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

  const dynamodb: LocalDynamoDB = {
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
    // Every request is answered before its caller goes on: nothing runs in the background but the TTL sweep.
    whenIdle: async () => undefined,
    async stop() {
      if (timer) clearInterval(timer);
      client.destroy();
      server.closeAllConnections?.();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  try {
    for (const table of options.tables ?? []) {
      await dynamodb.createTable(table.input);
      if (table.ttlAttribute) await dynamodb.setTimeToLive(String(table.input.TableName), table.ttlAttribute);
    }
  } catch (error) {
    await dynamodb.stop();
    throw error;
  }
  return dynamodb;
}
