import { randomBytes } from 'node:crypto';
import type { EventEmitter } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { ServiceError, type TranscoderFaults } from '#local/emulators/common';
import { FfmpegError, multiRenditionArgs, probe, runFfmpeg } from '#local/media';
import type { UsageMeter } from '#local/usage';
import { isAwsError, isTransientAwsError } from '#shared/aws-errors';
import { ERROR_CODES, type Job, type NotifiedState, newJob, notification } from './job.ts';
import type { PipelineSpec } from './pipelines.ts';
import { SYSTEM_PRESETS, type SystemPreset } from './presets.ts';

/** Publishes a message to an SNS topic (the cloud's SNS). */
export type Publish = (topicArn: string, message: string, subject: string) => void;

/** What the job queue needs: where media lives, where notifications go, scratch space for ffmpeg. */
export interface JobQueueOptions {
  readonly s3: S3Client;
  readonly publish: Publish;
  /** Emits `job` ({ jobId, videoId, status, percent? }) and `ffmpeg-error` ({ jobId, error }). */
  readonly events: EventEmitter;
  /** The pipelines, by id (the emulator adds to it). */
  readonly pipelines: ReadonlyMap<string, PipelineSpec>;
  readonly workDir: string;
  readonly region: string;
  readonly account: string;
  readonly concurrency?: number;
  readonly faults?: TranscoderFaults;
  /** Counts every output of every job that completes, with its duration and size. */
  readonly usage?: UsageMeter;
}

/** The jobs of the emulator: created, run `concurrency` at a time, canceled. */
export interface JobQueue {
  get(id: string): Job | undefined;
  create(body: Record<string, unknown>): Job;
  cancel(id: string): { Success: 'true' };
  /** Resolves when no job is waiting or running. */
  whenIdle(): Promise<void>;
  /** Ends every job at once (running ffmpeg killed, queued ones dropped); resolves once none runs. */
  halt(): Promise<void>;
}

/** Starts an empty job queue. */
export function startJobQueue(options: JobQueueOptions): JobQueue {
  const { events, pipelines } = options;
  const jobs = new Map<string, Job>();
  const queue: Job[] = [];
  let running = 0;
  let idleWaiters: (() => void)[] = [];
  let stopped = false;
  // Kills the running jobs' ffmpeg when the emulator stops.
  const stopping = new AbortController();

  const newJobId = () => {
    const digits = `${Date.now()}`.slice(-13).padStart(13, '1');
    return `${digits}-${randomBytes(3).toString('hex')}`;
  };

  const notify = (job: Job, state: NotifiedState, error?: { code: number; message: string }) => {
    const pipe = pipelines.get(job.PipelineId);
    const topic = {
      PROGRESSING: pipe?.notifications.progressing,
      COMPLETED: pipe?.notifications.completed,
      ERROR: pipe?.notifications.error,
    }[state];
    if (!topic || stopped) return;
    const { message, subject } = notification(job, state, error);
    options.publish(topic, message, subject);
  };

  const emitJob = (job: Job, percent?: number) =>
    !stopped &&
    events.emit('job', {
      jobId: job.Id,
      videoId: job.UserMetadata?.videoId,
      status: job.Status,
      ...(percent !== undefined && { percent }),
    });

  const fail = (job: Job, code: number, detail: string) => {
    const message = `${code} ${job.Id}: ${detail}`;
    job.Status = 'Error';
    job.Timing.FinishTimeMillis = Date.now();
    for (const output of job.Outputs) {
      output.Status = 'Error';
      output.StatusDetail = message;
    }
    emitJob(job);
    notify(job, 'ERROR', { code, message });
  };

  const runJob = async (job: Job): Promise<void> => {
    const pipe = pipelines.get(job.PipelineId) as PipelineSpec;
    const dir = join(options.workDir, job.Id);
    await mkdir(dir, { recursive: true });
    const fault = options.faults?.job(job.Id);
    try {
      job.Status = 'Progressing';
      job.Timing.StartTimeMillis = Date.now();
      for (const output of job.Outputs) output.Status = 'Progressing';
      emitJob(job, 0);
      notify(job, 'PROGRESSING');

      const input = join(dir, 'input');
      try {
        const object = await options.s3.send(
          new GetObjectCommand({ Bucket: pipe.inputBucket, Key: job.Input.Key }),
        );
        await pipeline(object.Body as NodeJS.ReadableStream, createWriteStream(input));
      } catch (error) {
        if (isAwsError(error, 'NoSuchKey')) {
          return fail(
            job,
            ERROR_CODES.NO_INPUT,
            `The specified object could not be found: bucket=${pipe.inputBucket}, key=${job.Input.Key}.`,
          );
        }
        throw error;
      }

      const outputs = job.Outputs.map((o, i) => ({
        output: join(dir, `output-${i}.mp4`),
        encoding: (SYSTEM_PRESETS[o.PresetId] as SystemPreset).encoding,
      }));
      // The probe only feeds the progress percentage, so ffmpeg does not wait for it.
      let duration = 0;
      const probed = probe(input).then(
        (facts) => {
          duration = facts.durationSeconds;
        },
        () => undefined,
      );
      const engine = new AbortController();
      try {
        const encoding = runFfmpeg(
          multiRenditionArgs(input, outputs),
          (seconds) => {
            if (duration > 0) emitJob(job, Math.min(99, Math.round((seconds / duration) * 100)));
          },
          AbortSignal.any([engine.signal, stopping.signal]),
        );
        // The injected engine death: the job's ffmpeg, just started, is killed.
        if (fault === 'die-mid-job') engine.abort();
        await encoding;
      } catch (error) {
        if (stopped) return;
        // The real service says only this; ffmpeg's own words go to the job's error event for debugging.
        events.emit('ffmpeg-error', { jobId: job.Id, error });
        if (error instanceof FfmpegError && error.signal !== undefined) {
          return fail(
            job,
            ERROR_CODES.ENGINE,
            'Internal Service Error: the transcoding engine stopped unexpectedly.',
          );
        }
        return fail(
          job,
          ERROR_CODES.BAD_INPUT,
          'Amazon Elastic Transcoder could not interpret the media file.',
        );
      } finally {
        await probed;
      }

      await Promise.all(
        job.Outputs.map(async (output, i) => {
          const file = (outputs[i] as { output: string }).output;
          const { size } = await stat(file);
          const [facts] = await Promise.all([
            probe(file),
            options.s3.send(
              new PutObjectCommand({
                Bucket: pipe.outputBucket,
                Key: `${job.OutputKeyPrefix ?? ''}${output.Key}`,
                Body: createReadStream(file),
                ContentLength: size,
                ContentType: 'video/mp4',
              }),
            ),
          ]);
          output.Status = 'Complete';
          output.Duration = Math.round(facts.durationSeconds);
          output.DurationMillis = Math.round(facts.durationSeconds * 1000);
          output.Width = facts.width;
          output.Height = facts.height;
          output.FileSize = size;
          options.usage?.transcoderOutput({
            backend: 'elastic-transcoder',
            durationMs: output.DurationMillis,
            width: facts.width,
            height: facts.height,
          });
        }),
      );
      job.Status = 'Complete';
      job.Timing.FinishTimeMillis = Date.now();
      emitJob(job, 100);
      if (fault !== 'lose-completion') notify(job, 'COMPLETED');
    } catch (error) {
      const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      if (isTransientAwsError(error)) {
        fail(
          job,
          ERROR_CODES.STORAGE,
          `Unclassified Storage Error: Amazon S3 failed the request (${detail}).`,
        );
      } else {
        fail(job, ERROR_CODES.INTERNAL, `Internal Service Error in the local Elastic Transcoder: ${detail}`);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  };

  const pump = () => {
    while (!stopped && running < (options.concurrency ?? 2) && queue.length > 0) {
      const job = queue.shift() as Job;
      running++;
      void runJob(job).finally(() => {
        running--;
        if (running === 0 && queue.length === 0) for (const wake of idleWaiters.splice(0)) wake();
        pump();
      });
    }
  };

  const createJob = (body: Record<string, unknown>): Job => {
    const job = newJob(body, {
      pipelines,
      region: options.region,
      account: options.account,
      newId: newJobId,
    });
    jobs.set(job.Id, job);
    queue.push(job);
    emitJob(job);
    setImmediate(pump);
    return job;
  };

  // https://docs.aws.amazon.com/elastictranscoder/latest/developerguide/cancel-job.html
  const cancelJob = (id: string): { Success: 'true' } => {
    const job = jobs.get(id);
    if (!job) {
      throw new ServiceError(
        404,
        'ResourceNotFoundException',
        `The specified job was not found: account=${options.account}, jobId=${id}.`,
      );
    }
    // Only a job that has not started can be canceled; the pipeline sends no notification for it.
    if (job.Status !== 'Submitted') {
      throw new ServiceError(
        409,
        'ResourceInUseException',
        `The specified job can't be canceled because its status is ${job.Status}: jobId=${id}.`,
      );
    }
    queue.splice(queue.indexOf(job), 1);
    job.Status = 'Canceled';
    job.Timing.FinishTimeMillis = Date.now();
    for (const output of job.Outputs) output.Status = 'Canceled';
    emitJob(job);
    if (running === 0 && queue.length === 0) for (const wake of idleWaiters.splice(0)) wake();
    return { Success: 'true' };
  };

  return {
    get: (id) => jobs.get(id),
    create: createJob,
    cancel: cancelJob,
    whenIdle() {
      if (running === 0 && queue.length === 0) return Promise.resolve();
      return new Promise((resolve) => idleWaiters.push(resolve));
    },
    async halt() {
      stopped = true;
      queue.length = 0;
      stopping.abort();
      if (running > 0) await new Promise<void>((resolve) => idleWaiters.push(resolve));
      idleWaiters = [];
    },
  };
}
