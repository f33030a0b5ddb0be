import { asList } from '#local/emulators/common';
import type { StackResource, SynthesizedStack } from '#local/synthesized-stack';
import type { CorsRule } from './gateway.ts';
import type { NotificationConfig } from './notifications.ts';

/** The buckets of the stack and their configuration resources, as `startS3` takes them. */
export interface S3Resources {
  /** Every `aws_s3_bucket`, by name. */
  readonly buckets: readonly string[];
  /** Every `aws_s3_bucket_versioning`: on when its status is `Enabled`. */
  readonly versioning: readonly { bucket: string; enabled: boolean }[];
  /** Every `aws_s3_bucket_cors_configuration`. */
  readonly corsRules: readonly { bucket: string; rules: readonly CorsRule[] }[];
  /** Every `aws_s3_bucket_notification`: its function, topic and queue targets, and `eventbridge`. */
  readonly bucketNotifications: readonly {
    bucket: string;
    configs: readonly NotificationConfig[];
    eventBridge: boolean;
  }[];
}

/** Reads the buckets of the stack with their versioning, CORS rules and notifications. */
export function s3FromStack(stack: SynthesizedStack): S3Resources {
  const bucketOf = (resource: StackResource) =>
    stack.resolveString(resource.config.bucket, `${resource.address}.bucket`);
  return {
    buckets: stack
      .resources('aws_s3_bucket')
      .map((bucket) => stack.attribute(bucket.address, 'bucket') as string),
    versioning: stack.resources('aws_s3_bucket_versioning').map((versioning) => ({
      bucket: bucketOf(versioning),
      enabled: asList(stack.resolve(versioning.config).versioning_configuration)[0]?.status === 'Enabled',
    })),
    corsRules: stack.resources('aws_s3_bucket_cors_configuration').map((cors) => ({
      bucket: bucketOf(cors),
      rules: asList(stack.resolve(cors.config).cors_rule).map((rule) => ({
        allowedOrigins: asList(rule.allowed_origins) as unknown as string[],
        allowedMethods: asList(rule.allowed_methods) as unknown as string[],
        ...(rule.allowed_headers !== undefined && {
          allowedHeaders: asList(rule.allowed_headers) as unknown as string[],
        }),
        ...(rule.expose_headers !== undefined && {
          exposeHeaders: asList(rule.expose_headers) as unknown as string[],
        }),
        ...(rule.max_age_seconds !== undefined && { maxAgeSeconds: Number(rule.max_age_seconds) }),
      })),
    })),
    bucketNotifications: stack.resources('aws_s3_bucket_notification').map((notification) => ({
      bucket: bucketOf(notification),
      configs: notificationConfigs(stack, notification),
      eventBridge: stack.resolve(notification.config).eventbridge === true,
    })),
  };
}

function notificationConfigs(stack: SynthesizedStack, notification: StackResource): NotificationConfig[] {
  const config = stack.resolve(notification.config);
  const blocks: [string, 'lambda' | 'sns' | 'sqs', string][] = [
    ['lambda_function', 'lambda', 'lambda_function_arn'],
    ['topic', 'sns', 'topic_arn'],
    ['queue', 'sqs', 'queue_arn'],
  ];
  return blocks.flatMap(([block, kind, arnField]) =>
    asList(config[block]).map((entry, index) => ({
      id: typeof entry.id === 'string' ? entry.id : `${block}-${index}`,
      events: asList(entry.events) as unknown as string[],
      ...(typeof entry.filter_prefix === 'string' && { prefix: entry.filter_prefix }),
      ...(typeof entry.filter_suffix === 'string' && { suffix: entry.filter_suffix }),
      target: {
        kind,
        arn: stack.resolveString(entry[arnField], `${notification.address}.${block}.${arnField}`),
      },
    })),
  );
}
