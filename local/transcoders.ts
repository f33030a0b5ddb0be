import type { EventEmitter } from 'node:events';
import { join } from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import type { LocalEndpoints } from '#local/cloud-types.ts';
import type { FaultRegistry, ServedEmulator } from '#local/emulators/common';
import { transcoderFaults } from '#local/emulators/common';
import { elasticTranscoderFromStack, startElasticTranscoder } from '#local/emulators/elastic-transcoder';
import {
  type MediaConvertJobStateEvent,
  mediaConvertFromStack,
  startMediaConvert,
} from '#local/emulators/mediaconvert';
import type { SynthesizedStack } from '#local/synthesized-stack';
import type { UsageMeter } from '#local/usage';

/** A transcoder emulator the stack declares, by backend. */
export interface RunningTranscoder extends ServedEmulator {
  readonly backend: 'elastic-transcoder' | 'mediaconvert';
  /** Emits `job` as jobs advance. */
  readonly events: EventEmitter;
}

/**
 * Starts the transcoders the stack declares: Elastic Transcoder when it has pipelines, MediaConvert
 * when it has a queue. Elastic Transcoder notifies its pipelines' topics; MediaConvert puts job-state
 * events on the default bus.
 */
export async function startTranscoders(
  stack: SynthesizedStack,
  context: {
    /** S3 clients whose requests count as the named requester's. */
    readonly s3: { s3ClientFor(appId: string): S3Client };
    /** Counts each job's outputs. */
    readonly usage?: UsageMeter;
    readonly dataDir: string;
    readonly account: string;
    readonly faults: FaultRegistry;
    /** Elastic Transcoder's notifications go to its pipelines' topics. */
    readonly sns: { publish(topicArn: string, message: string, options: { subject: string }): void };
    /** MediaConvert's job-state events go on the default bus. */
    readonly bridge: { putRawEvent(event: Record<string, unknown>): void };
    /** Where a notification or event that could not be delivered is reported. */
    readonly warn: (error: unknown) => void;
  },
): Promise<RunningTranscoder[]> {
  const common = {
    region: stack.region,
    account: context.account,
    faults: transcoderFaults(context.faults),
    ...(context.usage && { usage: context.usage }),
  };
  const started: RunningTranscoder[] = [];
  try {
    const { pipelines } = elasticTranscoderFromStack(stack);
    if (pipelines.length > 0) {
      const workDir = join(context.dataDir, 'elastic-transcoder');
      const emulator = await startElasticTranscoder({
        ...common,
        s3: context.s3.s3ClientFor('elastic-transcoder'),
        publish: (topic: string, message: string, subject: string) => {
          try {
            context.sns.publish(topic, message, { subject });
          } catch (error) {
            const reason = (error as Error).message;
            context.warn(
              new Error(`Notification to ${topic} was not delivered: ${reason}`, { cause: error }),
            );
          }
        },
        pipelines,
        workDir,
      });
      started.push(Object.assign(emulator, { backend: 'elastic-transcoder' as const }));
    }
    if (mediaConvertFromStack(stack).queues.length > 0) {
      const workDir = join(context.dataDir, 'mediaconvert');
      const emulator = await startMediaConvert({
        ...common,
        s3: context.s3.s3ClientFor('mediaconvert'),
        publish: (event: MediaConvertJobStateEvent) => context.bridge.putRawEvent({ ...event }),
        onError: context.warn,
        workDir,
      });
      started.push(Object.assign(emulator, { backend: 'mediaconvert' as const }));
    }
  } catch (error) {
    for (const emulator of started) await emulator.stop();
    throw error;
  }
  return started;
}

/** The endpoints of the running transcoders, under the names {@link LocalEndpoints} gives them. */
export function transcoderEndpoints(transcoders: readonly RunningTranscoder[]): {
  elasticTranscoder?: string;
  mediaconvert?: string;
} {
  const of = (backend: RunningTranscoder['backend']) =>
    transcoders.find((t) => t.backend === backend)?.endpoint;
  const elasticTranscoder = of('elastic-transcoder');
  const mediaconvert = of('mediaconvert');
  return { ...(elasticTranscoder && { elasticTranscoder }), ...(mediaconvert && { mediaconvert }) };
}
