import { asList } from '#local/emulators/common';
import type { SynthesizedStack } from '#local/synthesized-stack';
import type { PipelineSpec } from './pipelines.ts';

/** The pipelines of the stack, as `startElasticTranscoder` takes them. */
export interface ElasticTranscoderResources {
  readonly pipelines: readonly PipelineSpec[];
}

/** Every `aws_elastictranscoder_pipeline` of the stack: its buckets, role and notification topics. */
export function elasticTranscoderFromStack(stack: SynthesizedStack): ElasticTranscoderResources {
  const pipelines = stack.resources('aws_elastictranscoder_pipeline').map((pipeline): PipelineSpec => {
    const config = stack.resolve(pipeline.config);
    const notifications = (asList(config.notifications)[0] ?? {}) as Record<string, string | undefined>;
    return {
      id: stack.attribute(pipeline.address, 'id') as string,
      arn: stack.attribute(pipeline.address, 'arn') as string,
      name: String(config.name ?? pipeline.name),
      inputBucket: stack.resolveString(pipeline.config.input_bucket, `${pipeline.address}.input_bucket`),
      outputBucket: stack.resolveString(
        pipeline.config.output_bucket ?? asList(pipeline.config.content_config)[0]?.bucket,
        `${pipeline.address}.output_bucket`,
      ),
      role: String(config.role ?? ''),
      notifications: {
        ...(notifications.progressing && { progressing: notifications.progressing }),
        ...(notifications.completed && { completed: notifications.completed }),
        ...(notifications.warning && { warning: notifications.warning }),
        ...(notifications.error && { error: notifications.error }),
      },
    };
  });
  return { pipelines };
}
