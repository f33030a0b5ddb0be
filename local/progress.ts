import type { EventEmitter } from 'node:events';
import type { ProgressEvent } from '#local/cloud-types.ts';
import type { DeadLetter, LocalLambda } from '#local/emulators/lambda';
import type { LocalS3 } from '#local/emulators/s3';

interface S3Record {
  readonly eventName: string;
  readonly s3: { bucket: { name: string }; object: { key: string; versionId?: string } };
}

interface Invocation {
  readonly functionName: string;
  readonly attempt: number;
  readonly ok: boolean;
  readonly error?: { errorMessage: string };
}

/**
 * Re-emits what the emulators report on the local cloud's `events`: S3 notifications, transcoder job
 * states, invocations and dead letters as `progress` ({@link ProgressEvent}), function output as `log`,
 * and events accepted by Lambda's Invoke API as `delivery`.
 */
export function reportProgress(
  events: EventEmitter,
  sources: {
    readonly s3: LocalS3;
    readonly lambda: LocalLambda;
    readonly transcoders: readonly { readonly backend: string; readonly events: EventEmitter }[];
  },
): void {
  const progress = (event: ProgressEvent) => events.emit('progress', event);
  sources.s3.notifications.on('notification', ({ event }: { event: { Records: S3Record[] } }) => {
    const record = event.Records[0] as S3Record;
    const { bucket, object } = record.s3;
    progress({
      kind: 's3',
      bucket: bucket.name,
      key: object.key,
      ...(object.versionId && { versionId: object.versionId }),
      eventName: record.eventName,
    });
  });
  for (const { backend, events: jobs } of sources.transcoders) {
    jobs.on('job', (job) => progress({ kind: 'job', backend, ...job }));
  }
  const lambda = sources.lambda.events;
  lambda.on('invocation', (i: Invocation) =>
    progress({
      kind: 'invocation',
      functionName: i.functionName,
      attempt: i.attempt,
      ok: i.ok,
      ...(i.error && { error: i.error.errorMessage }),
    }),
  );
  lambda.on('dead-letter', (letter: DeadLetter) => progress({ kind: 'dead-letter', letter }));
  lambda.on('log', (log) => events.emit('log', log));
  lambda.on('event', ({ functionArn, event }) =>
    events.emit('delivery', { target: functionArn, event, origin: 'lambda:invoke' }),
  );
}
