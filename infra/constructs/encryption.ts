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
  /** The key policy resource: whatever AWS validates against the policy at creation depends on it. */
  readonly policyResource: KmsKeyPolicy;
  private readonly policy: PolicyDocument;

  constructor(scope: Construct, id: string, props: PipelineKeyProps) {
    super(scope, id);
    const { config, accountId } = props;
    this.key = new KmsKey(this, 'key', {
      description: `24-Hour Video ${config.stage}: buckets and topics`,
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
    ]);
    this.policyResource = new KmsKeyPolicy(this, 'policy', {
      keyId: this.key.keyId,
      policy: this.policy.toJson(),
    });
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
/** KMS actions a principal needs to write objects or publish messages encrypted under the key. */
export const KMS_ENCRYPT = ['kms:GenerateDataKey', 'kms:Decrypt'] as const;
