import type { SynthesizedStack } from '#local/synthesized-stack';
import type { QueueSpec } from './queues.ts';

/** The queues of the stack, as `startSqs` takes them. */
export interface SqsResources {
  readonly queues: readonly QueueSpec[];
}

/** Every `aws_sqs_queue` of the stack: the on-failure destinations, with their timeouts and retention. */
export function sqsFromStack(stack: SynthesizedStack): SqsResources {
  const queues = stack.resources('aws_sqs_queue').map((queue): QueueSpec => {
    const config = stack.resolve(queue.config);
    return {
      name: stack.attribute(queue.address, 'name') as string,
      arn: stack.attribute(queue.address, 'arn') as string,
      ...(config.visibility_timeout_seconds !== undefined && {
        visibilityTimeoutSeconds: Number(config.visibility_timeout_seconds),
      }),
      ...(config.message_retention_seconds !== undefined && {
        messageRetentionSeconds: Number(config.message_retention_seconds),
      }),
    };
  });
  return { queues };
}
