import type { CreateTableCommandInput, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { startDynamoDB } from '#local/emulators/dynamodb';
import { VIDEO_TABLE_SCHEMA } from '#shared/store';

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

/**
 * Starts dynalite on 127.0.0.1 (port 0 → a free port), as the local cloud does, and creates the video
 * table from `VIDEO_TABLE_SCHEMA`, with every GSI projecting ALL attributes. Call `stop()` in `after`.
 */
export async function startDynalite(options: { tableName?: string } = {}): Promise<LocalVideoTable> {
  const tableName = options.tableName ?? 'videos';
  const dynamo = await startDynamoDB({ region: 'us-east-1', maxAttempts: 1 });
  const documentClient = DynamoDBDocumentClient.from(dynamo.client, {
    marshallOptions: { removeUndefinedValues: true },
  });
  const stop = async (): Promise<void> => {
    documentClient.destroy();
    await dynamo.stop();
  };
  try {
    await dynamo.createTable(videoTableDefinition(tableName));
  } catch (error) {
    await stop();
    throw error;
  }
  return { endpoint: dynamo.endpoint, tableName, client: dynamo.client, documentClient, stop };
}

/** The CreateTable input of the video table, derived from `VIDEO_TABLE_SCHEMA`. */
export function videoTableDefinition(tableName: string): CreateTableCommandInput {
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
