import { randomUUID } from 'node:crypto';
import type { Deliver, Emulator } from '#local/emulators/common';
import { matchesPattern } from '#local/emulators/eventbridge';
import type { UsageMeter } from '#local/usage';

/** A subscription of a topic, as `aws_sns_topic_subscription` declares it. */
export interface SnsSubscription {
  readonly topicArn: string;
  readonly protocol: string;
  /** ARN of the function (protocol `lambda`) or queue (`sqs`). */
  readonly endpoint: string;
  readonly filterPolicy?: Record<string, unknown>;
  readonly filterPolicyScope?: 'MessageAttributes' | 'MessageBody';
  readonly rawMessageDelivery?: boolean;
}

/** In-process SNS: fans a published message out to every subscription of the topic whose filter accepts it. */
export class LocalSns implements Emulator {
  private readonly subscriptions: SnsSubscription[] = [];
  private readonly topics = new Set<string>();

  constructor(
    private readonly deliver: Deliver,
    private readonly region: string,
    private readonly usage?: UsageMeter,
  ) {}

  createTopic(arn: string): void {
    this.topics.add(arn);
  }

  subscribe(subscription: SnsSubscription): void {
    if (!this.topics.has(subscription.topicArn)) {
      throw new Error(`Subscription to ${subscription.topicArn}, a topic the stack does not declare.`);
    }
    this.subscriptions.push(subscription);
  }

  /** Subscriptions of a topic, for diagnostics. */
  subscriptionsOf(topicArn: string): readonly SnsSubscription[] {
    return this.subscriptions.filter((s) => s.topicArn === topicArn);
  }

  /**
   * Publishes `message` to `topicArn`; each lambda subscriber receives an SNS event shaped as
   * Lambda gets it. Returns the message id. Unknown topics fail like SNS's NotFound.
   */
  publish(topicArn: string, message: string, options: { subject?: string } = {}): string {
    if (!this.topics.has(topicArn)) throw new Error(`NotFound: Topic does not exist: ${topicArn}`);
    const messageId = randomUUID();
    const timestamp = new Date().toISOString();
    const delivered: string[] = [];
    for (const [index, subscription] of this.subscriptions.entries()) {
      if (subscription.topicArn !== topicArn) continue;
      if (subscription.filterPolicy && !this.accepts(subscription, message)) continue;
      delivered.push(subscription.protocol);
      const subscriptionArn = `${topicArn}:${index.toString(16).padStart(8, '0')}-local`;
      const notification = {
        Type: 'Notification',
        MessageId: messageId,
        TopicArn: topicArn,
        Subject: options.subject ?? null,
        Message: message,
        Timestamp: timestamp,
        SignatureVersion: '1',
        Signature: 'LOCAL',
        SigningCertUrl: `https://sns.${this.region}.amazonaws.com/local.pem`,
        UnsubscribeUrl: `https://sns.${this.region}.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=${subscriptionArn}`,
        MessageAttributes: {},
      };
      if (subscription.protocol === 'lambda') {
        this.deliver(
          subscription.endpoint,
          {
            Records: [
              {
                EventSource: 'aws:sns',
                EventVersion: '1.0',
                EventSubscriptionArn: subscriptionArn,
                Sns: notification,
              },
            ],
          },
          topicArn,
        );
      } else {
        this.deliver(
          subscription.endpoint,
          subscription.rawMessageDelivery ? message : notification,
          topicArn,
        );
      }
    }
    this.usage?.snsPublish(Buffer.byteLength(message) + Buffer.byteLength(options.subject ?? ''), delivered);
    return messageId;
  }

  /** Publishing hands each message over at once: nothing waits here. */
  async whenIdle(): Promise<void> {}

  async stop(): Promise<void> {}

  private accepts(subscription: SnsSubscription, message: string): boolean {
    if (subscription.filterPolicyScope !== 'MessageBody') return false;
    try {
      return matchesPattern(subscription.filterPolicy ?? {}, JSON.parse(message));
    } catch {
      return false;
    }
  }
}

/** Starts the in-process SNS with the stack's topics and their subscriptions. */
export function startSns(options: {
  deliver: Deliver;
  region: string;
  topics?: readonly string[];
  subscriptions?: readonly SnsSubscription[];
  /** Counts every publish and its deliveries. */
  usage?: UsageMeter;
}): LocalSns {
  const sns = new LocalSns(options.deliver, options.region, options.usage);
  for (const topic of options.topics ?? []) sns.createTopic(topic);
  for (const subscription of options.subscriptions ?? []) sns.subscribe(subscription);
  return sns;
}
