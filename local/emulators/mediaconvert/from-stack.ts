import type { SynthesizedStack } from '#local/synthesized-stack';

/** The MediaConvert queues of the stack (by ARN): the local cloud runs the emulator when there is one. */
export interface MediaConvertResources {
  readonly queues: readonly string[];
}

/** Every `aws_media_convert_queue` of the stack. */
export function mediaConvertFromStack(stack: SynthesizedStack): MediaConvertResources {
  return {
    queues: stack
      .resources('aws_media_convert_queue')
      .map((queue) => stack.attribute(queue.address, 'arn') as string),
  };
}
