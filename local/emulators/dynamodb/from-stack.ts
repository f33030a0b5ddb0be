import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import { asList } from '#local/emulators/common';
import type { SynthesizedStack } from '#local/synthesized-stack';
import type { JsonObject } from '#shared/json';
import type { TableSpec } from './server.ts';

/** The tables of the stack, as `startDynamoDB` takes them. */
export interface DynamoDBResources {
  readonly tables: readonly TableSpec[];
}

/** Every `aws_dynamodb_table` of the stack, with its indexes and TTL. */
export function dynamodbFromStack(stack: SynthesizedStack): DynamoDBResources {
  const tables = stack.resources('aws_dynamodb_table').map((table): TableSpec => {
    const config = stack.resolve(table.config);
    const ttlAttribute = ttlFromTerraform(config);
    return { input: tableFromTerraform(config), ...(ttlAttribute && { ttlAttribute }) };
  });
  return { tables };
}

/**
 * The CreateTable input equivalent to a resolved `aws_dynamodb_table` resource: attributes,
 * hash and range keys, and every `global_secondary_index` with its projection.
 */
export function tableFromTerraform(config: JsonObject): CreateTableCommandInput {
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
export function ttlFromTerraform(config: JsonObject): string | undefined {
  const ttl = asList(config.ttl)[0];
  return ttl?.enabled === true && typeof ttl.attribute_name === 'string' ? ttl.attribute_name : undefined;
}
