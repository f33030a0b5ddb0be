import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { SnsTopicPolicy } from '@cdktf/provider-aws/lib/sns-topic-policy';
import { SnsTopicSubscription } from '@cdktf/provider-aws/lib/sns-topic-subscription';
import { Construct } from 'constructs';
import type { BundledFunction } from './bundled-function.ts';
import type { PipelineKey } from './encryption.ts';
import { PolicyDocument } from './policy.ts';

/** Props of {@link EncryptedTopic}. */
export interface EncryptedTopicProps {
  readonly topicName: string;
  readonly key: PipelineKey;
  readonly accountId: string;
}

/** An SNS topic encrypted with the pipeline key, whose Lambda subscribers get scoped invoke permissions. */
export class EncryptedTopic extends Construct {
  readonly topic: SnsTopic;
  readonly arn: string;
  readonly name: string;
  private readonly accountId: string;
  private policyDocument: PolicyDocument | undefined;
  /** The topic policy, once a publisher was allowed; notifications depend on it. */
  policy: SnsTopicPolicy | undefined;

  constructor(scope: Construct, id: string, props: EncryptedTopicProps) {
    super(scope, id);
    this.accountId = props.accountId;
    this.topic = new SnsTopic(this, 'topic', { name: props.topicName, kmsMasterKeyId: props.key.arn });
    this.arn = this.topic.arn;
    this.name = this.topic.name;
  }

  /**
   * Lets an AWS service publish, only from `sourceArn` in this account (`aws:SourceArn` plus
   * `aws:SourceAccount`, against the confused deputy). The topic's only policy statement: the account
   * keeps its access through IAM.
   */
  allowServicePublish(service: string, sourceArn: string): SnsTopicPolicy {
    if (!this.policyDocument) {
      this.policyDocument = new PolicyDocument();
      this.policy = new SnsTopicPolicy(this, 'policy', {
        arn: this.arn,
        policy: this.policyDocument.toJson(),
      });
    }
    this.policyDocument.add({
      Sid: `Allow${service.split('.')[0]?.toUpperCase()}Publish`,
      Effect: 'Allow',
      Principal: { Service: service },
      Action: ['sns:Publish'],
      Resource: [this.arn],
      Condition: {
        ArnLike: { 'aws:SourceArn': sourceArn },
        StringEquals: { 'aws:SourceAccount': this.accountId },
      },
    });
    return this.policy as SnsTopicPolicy;
  }

  /** Subscribes a function and lets this topic (only) invoke it. */
  subscribe(fn: BundledFunction): SnsTopicSubscription {
    const permission = fn.allowInvoke(`sns-${this.node.id}`, 'sns.amazonaws.com', this.arn);
    return new SnsTopicSubscription(this, `to-${fn.name}`, {
      topicArn: this.arn,
      protocol: 'lambda',
      endpoint: fn.arn,
      dependsOn: [permission],
    });
  }
}
