import { DynamodbTable } from '@cdktf/provider-aws/lib/dynamodb-table';
import { Construct } from 'constructs';
import { ENV, type EnvName } from '#shared/config';
// The schema alone: the library's index also loads the DynamoDB SDK.
import { VIDEO_TABLE_SCHEMA } from '#shared/store/schema';
import type { StageConfig } from '../config.ts';
import type { PipelineKey } from './encryption.ts';

/** Props of {@link VideoTable}. */
export interface VideoTableProps {
  readonly config: StageConfig;
  readonly key: PipelineKey;
}

/**
 * The video table (DynamoDB): one item per video, built from `VIDEO_TABLE_SCHEMA` so the queries of
 * `#shared/store` and the table's indexes cannot drift apart.
 */
export class VideoTable extends Construct {
  readonly table: DynamodbTable;
  readonly name: string;
  readonly arn: string;
  readonly envName: EnvName = ENV.VIDEO_TABLE;

  constructor(scope: Construct, id: string, props: VideoTableProps) {
    super(scope, id);
    const { config, key } = props;
    const indexes = Object.entries(VIDEO_TABLE_SCHEMA.indexes);
    const keyAttributes = new Set<string>([
      VIDEO_TABLE_SCHEMA.partitionKey,
      ...indexes.flatMap(([, index]) => [index.partitionKey, index.sortKey]),
    ]);
    this.table = new DynamodbTable(this, 'table', {
      name: `${config.namePrefix}-videos`,
      billingMode: 'PAY_PER_REQUEST',
      hashKey: VIDEO_TABLE_SCHEMA.partitionKey,
      attribute: [...keyAttributes].sort().map((name) => ({ name, type: 'S' })),
      globalSecondaryIndex: indexes.map(([name, index]) => ({
        name,
        hashKey: index.partitionKey,
        rangeKey: index.sortKey,
        projectionType: 'ALL',
      })),
      pointInTimeRecovery: { enabled: true },
      // Deleted videos stay as tombstones until this time, then DynamoDB removes them.
      ttl: { attributeName: VIDEO_TABLE_SCHEMA.ttlAttribute, enabled: true },
      // DynamoDB uses the key through a grant it creates with the table; callers need no KMS permission.
      serverSideEncryption: { enabled: true, kmsKeyArn: key.arn },
      deletionProtectionEnabled: config.deletionProtection,
    });
    this.name = this.table.name;
    this.arn = this.table.arn;
  }
}
