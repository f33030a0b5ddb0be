import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { VIDEO_TABLE_SCHEMA } from '#shared/store';

const require = createRequire(import.meta.url);
// dynalite ships no types; it returns a plain http.Server backed by an in-memory LevelDB.
const dynalite = require('dynalite') as (options: Record<string, unknown>) => Server;

/** A running in-memory DynamoDB (dynalite) holding an empty video table. */
export interface LocalVideoTable {
  /** `http://127.0.0.1:<port>`, for `AWS_ENDPOINT_URL_DYNAMODB` or a client's `endpoint`. */
  readonly endpoint: string;
  readonly tableName: string;
  /** Raw client pointed at the endpoint, with throwaway credentials. */
  readonly client: DynamoDBClient;
  /** Document client over {@link LocalVideoTable.client}, removing undefined values like the repository expects. */
  readonly documentClient: DynamoDBDocumentClient;
  /** Destroys the clients and closes the server. */
  stop(): Promise<void>;
}

/** Fake credentials for local emulators: the SDK insists on signing, dynalite ignores the signature. */
export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' } as const;

/**
 * Starts dynalite on 127.0.0.1 (port 0 → a free port) and creates the video table from
 * `VIDEO_TABLE_SCHEMA`, with every GSI projecting ALL attributes. Call `stop()` in `after`.
 */
export async function startDynalite(options: { tableName?: string } = {}): Promise<LocalVideoTable> {
  const tableName = options.tableName ?? 'videos';
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: LOCAL_CREDENTIALS,
    maxAttempts: 1,
  });
  const documentClient = DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true },
  });
  const stop = async (): Promise<void> => {
    documentClient.destroy();
    client.destroy();
    await new Promise<void>((resolve, reject) =>
      server.close((error) => (error ? reject(error) : resolve())),
    );
  };

  try {
    await client.send(new CreateTableCommand(videoTableDefinition(tableName)));
    await waitUntilActive(client, tableName);
  } catch (error) {
    await stop();
    throw error;
  }
  return { endpoint, tableName, client, documentClient, stop };
}

/** The CreateTable input of the video table, derived from `VIDEO_TABLE_SCHEMA`. */
export function videoTableDefinition(tableName: string): ConstructorParameters<typeof CreateTableCommand>[0] {
  const indexes = Object.entries(VIDEO_TABLE_SCHEMA.indexes);
  const attributes = new Set<string>([VIDEO_TABLE_SCHEMA.partitionKey]);
  for (const [, index] of indexes) {
    attributes.add(index.partitionKey);
    attributes.add(index.sortKey);
  }
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    KeySchema: [{ AttributeName: VIDEO_TABLE_SCHEMA.partitionKey, KeyType: 'HASH' }],
    AttributeDefinitions: [...attributes].map((name) => ({ AttributeName: name, AttributeType: 'S' })),
    GlobalSecondaryIndexes: indexes.map(([name, index]) => ({
      IndexName: name,
      KeySchema: [
        { AttributeName: index.partitionKey, KeyType: 'HASH' },
        { AttributeName: index.sortKey, KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: 'ALL' },
    })),
  };
}

async function waitUntilActive(client: DynamoDBClient, tableName: string): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    const indexesActive = (Table?.GlobalSecondaryIndexes ?? []).every((i) => i.IndexStatus === 'ACTIVE');
    if (Table?.TableStatus === 'ACTIVE' && indexesActive) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`dynalite table ${tableName} did not become ACTIVE`);
}
