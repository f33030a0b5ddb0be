import type { SynthesizedStack } from '#local/synthesized-stack';
import type { JsonObject } from '#shared/json';
import type { SnsSubscription } from './sns.ts';

/** The topics of the stack (by ARN) and their subscriptions. */
export interface SnsResources {
  readonly topics: readonly string[];
  readonly subscriptions: readonly SnsSubscription[];
}

/** Every `aws_sns_topic` and `aws_sns_topic_subscription` of the stack, filter policies included. */
export function snsFromStack(stack: SynthesizedStack): SnsResources {
  return {
    topics: stack.resources('aws_sns_topic').map((topic) => stack.attribute(topic.address, 'arn') as string),
    subscriptions: stack.resources('aws_sns_topic_subscription').map((sub) => {
      const config = stack.resolve(sub.config);
      const filter =
        typeof config.filter_policy === 'string'
          ? (JSON.parse(config.filter_policy) as JsonObject)
          : undefined;
      return {
        topicArn: stack.resolveString(sub.config.topic_arn, `${sub.address}.topic_arn`),
        protocol: String(config.protocol),
        endpoint: stack.resolveString(sub.config.endpoint, `${sub.address}.endpoint`),
        ...(filter && { filterPolicy: filter }),
        ...(config.filter_policy_scope === 'MessageBody' && { filterPolicyScope: 'MessageBody' as const }),
        ...(config.raw_message_delivery === true && { rawMessageDelivery: true }),
      };
    }),
  };
}
