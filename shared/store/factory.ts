import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoVideoRepository } from './dynamo-repository.ts';

/**
 * The video list a function uses: one document client (built once per cold start, dropping undefined
 * values) over `client`, which defaults to a plain DynamoDB client configured from the environment.
 */
export function createVideoRepository(
  tableName: string,
  client: DynamoDBClient = new DynamoDBClient({}),
): DynamoVideoRepository {
  const documents = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  return new DynamoVideoRepository(documents, tableName);
}
