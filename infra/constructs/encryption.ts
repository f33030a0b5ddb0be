import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { KmsKeyPolicy } from '@cdktf/provider-aws/lib/kms-key-policy';
import { Construct } from 'constructs';
import type { StageConfig } from '../config.ts';
import { PolicyDocument, type Statement } from './policy.ts';

/** Props of {@link PipelineKey}. */
export interface PipelineKeyProps {
  readonly config: StageConfig;
  readonly accountId: string;
}

/**
 * The customer-managed KMS key that encrypts the buckets and topics. A CMK, not the AWS-managed
 * `aws/s3` / `aws/sns` keys, because service principals must be allowed in its policy: S3 cannot
 * publish events to a topic under `aws/sns`, and CloudFront cannot read objects under `aws/s3`.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/grant-destinations-permissions-to-s3.html
 */
export class PipelineKey extends Construct {
  readonly key: KmsKey;
  readonly arn: string;
  readonly region: string;
  /** The key policy resource: whatever AWS validates against the policy at creation depends on it. */
  readonly policyResource: KmsKeyPolicy;
  private readonly policy: PolicyDocument;

  constructor(scope: Construct, id: string, props: PipelineKeyProps) {
    super(scope, id);
    const { config, accountId } = props;
    this.region = config.region;
    this.key = new KmsKey(this, 'key', {
      description: `24-Hour Video ${config.stage}: buckets, topics and log groups`,
      enableKeyRotation: true,
      deletionWindowInDays: config.deletionProtection ? 30 : 7,
    });
    this.arn = this.key.arn;
    new KmsAlias(this, 'alias', { name: `alias/${config.namePrefix}`, targetKeyId: this.key.keyId });
    this.policy = new PolicyDocument([
      {
        // The default key policy: the account administers the key and IAM policies may grant its use.
        // In a key policy, "*" resources mean this key. https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html
        Sid: 'AccountAdministers',
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${accountId}:root` },
        Action: ['kms:*'],
        Resource: ['*'],
      },
      {
        // CloudWatch Logs encrypts and reads the stack's log groups (and only them) with the key.
        // https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html
        Sid: 'CloudWatchLogsEncryptsLogGroups',
        Effect: 'Allow',
        Principal: { Service: `logs.${config.region}.amazonaws.com` },
        Action: [...KMS_LOGS],
        Resource: ['*'],
        Condition: {
          ArnLike: {
            [LOGS_ENCRYPTION_CONTEXT]: logGroupPrefixes(config.namePrefix).map(
              (prefix) => `arn:aws:logs:${config.region}:${accountId}:log-group:${prefix}*`,
            ),
          },
        },
      },
    ]);
    this.policyResource = new KmsKeyPolicy(this, 'policy', {
      keyId: this.key.keyId,
      policy: this.policy.toJson(),
    });
  }

  /**
   * A statement for a role's policy: `actions` on this key only when `service` (in this region) makes
   * the call on the role's behalf, e.g. S3 encrypting an object the role writes. The role can never
   * call KMS with the key directly.
   */
  viaService(service: 's3' | 'sns', actions: readonly string[], sid?: string): Statement {
    return {
      ...(sid ? { Sid: sid } : {}),
      Effect: 'Allow',
      Action: [...actions],
      Resource: [this.arn],
      Condition: { StringEquals: { 'kms:ViaService': `${service}.${this.region}.amazonaws.com` } },
    };
  }

  /** Lets an AWS service principal use the key, under the given conditions (always scope them). */
  allowService(
    sid: string,
    service: string,
    actions: readonly string[],
    condition: Statement['Condition'],
  ): void {
    this.policy.add({
      Sid: sid,
      Effect: 'Allow',
      Principal: { Service: service },
      Action: actions,
      Resource: ['*'],
      ...(condition ? { Condition: condition } : {}),
    });
  }
}

/** KMS actions a principal needs to read objects or messages encrypted under the key. */
export const KMS_DECRYPT = ['kms:Decrypt'] as const;
/**
 * KMS actions a principal needs to write an object in one request (PutObject, a browser's POST): S3
 * asks KMS for a new data key. Only multipart uploads also need `kms:Decrypt`.
 * https://repost.aws/knowledge-center/s3-large-file-encryption-kms-key
 */
export const KMS_PUT = ['kms:GenerateDataKey'] as const;
/**
 * KMS actions a principal needs to write objects in several parts (MediaConvert and Elastic
 * Transcoder outputs: S3 decrypts the parts to assemble them) or publish messages to an encrypted topic.
 */
export const KMS_ENCRYPT = ['kms:GenerateDataKey', 'kms:Decrypt'] as const;
/**
 * What CloudWatch Logs does with the key of an encrypted log group: the documented `kms:Encrypt*`,
 * `kms:Decrypt*`, `kms:ReEncrypt*`, `kms:GenerateDataKey*` and `kms:Describe*`, spelled out.
 */
export const KMS_LOGS = [
  'kms:Encrypt',
  'kms:Decrypt',
  'kms:ReEncryptFrom',
  'kms:ReEncryptTo',
  'kms:GenerateDataKey',
  'kms:GenerateDataKeyWithoutPlaintext',
  'kms:DescribeKey',
] as const;
/** The encryption context key CloudWatch Logs sets to the log group's ARN. */
export const LOGS_ENCRYPTION_CONTEXT = 'kms:EncryptionContext:aws:logs:arn';

/** Name prefixes of every log group the stack creates: its functions' and its API's access logs. */
export function logGroupPrefixes(namePrefix: string): string[] {
  return [`/aws/lambda/${namePrefix}-`, `/aws/apigateway/${namePrefix}-`];
}
