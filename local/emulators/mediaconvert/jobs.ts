import { randomBytes } from 'node:crypto';
import type { EventEmitter } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import { ServiceError, type TranscoderFaults } from '#local/emulators/common';
import { type FfprobeOutput, ffprobeJson } from '#local/media';
import type { UsageMeter } from '#local/usage';
import { isTransientAwsError } from '#shared/aws-errors';
import {
  ERROR_CODES,
  engineFailure,
  type Job,
  JobFailure,
  type MediaConvertJobStateEvent,
  type OutputDetail,
  stopIfCanceled,
} from './job.ts';
import { download, renderFrames, renderMp4 } from './render.ts';
import { planJob } from './settings.ts';

/** What the job queue needs: where media lives, where its events go, scratch space for ffmpeg. */
export interface JobQueueOptions {
  readonly s3: S3Client;
  readonly publish: (event: MediaConvertJobStateEvent) => void | Promise<void>;
  /** Emits `job` ({ jobId, videoId?, status, percent? }) as each job is created and changes state. */
  readonly events: EventEmitter;
  readonly workDir: string;
  readonly region: string;
  readonly account: string;
  readonly onError: (error: unknown) => void;
  readonly faults?: TranscoderFaults;
  /** Counts every output of every job that completes, with its duration and size. */
  readonly usage?: UsageMeter;
}

/** The jobs of the emulator: created, run one at a time, canceled. */
export interface JobQueue {
  get(id: string): Job | undefined;
  /** CreateJob: a new job, or the one a repeated ClientRequestToken names (`created` false). */
  create(body: Record<string, unknown>): { job: Job; created: boolean };
  cancel(id: string): Promise<void>;
  /** Resolves once every job accepted so far has ended. */
  whenIdle(): Promise<void>;
  /** Ends every job at once: the running one's ffmpeg is killed, queued ones never start, none emits more. */
  halt(): void;
  /** Resolves once the job that was running when it halted has stopped writing. */
  halted(): Promise<void>;
}

/** Starts an empty job queue. */
export function startJobQueue(options: JobQueueOptions): JobQueue {
  const { region, account, onError } = options;
  const jobs = new Map<string, Job>();
  const byToken = new Map<string, Job>();
  let queue: Promise<void> = Promise.resolve();
  let stopped = false;

  async function emit(job: Job, status: string, extra: Record<string, unknown> = {}): Promise<void> {
    if (stopped) return;
    const now = new Date();
    const event: MediaConvertJobStateEvent = {
      version: '0',
      id: randomBytes(16)
        .toString('hex')
        .replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5'),
      'detail-type': 'MediaConvert Job State Change',
      source: 'aws.mediaconvert',
      account,
      time: now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
      region,
      resources: [job.arn],
      detail: {
        timestamp: now.getTime(),
        accountId: account,
        queue: job.plan.queue ?? `arn:aws:mediaconvert:${region}:${account}:queues/Default`,
        jobId: job.id,
        status,
        userMetadata: { ...job.plan.userMetadata },
        ...extra,
      },
    };
    const percent = (extra.jobProgress as { jobPercentComplete?: number } | undefined)?.jobPercentComplete;
    options.events.emit('job', {
      jobId: job.id,
      ...(job.plan.userMetadata.videoId && { videoId: job.plan.userMetadata.videoId }),
      status,
      ...(percent !== undefined && { percent }),
    });
    await options.publish(event);
  }

  function run(job: Job): Promise<void> {
    // A job canceled while it waited in the queue never starts, nor does any once the emulator stops.
    if (job.status === 'CANCELED' || stopped) return Promise.resolve();
    job.running = runJob(job);
    return job.running;
  }

  async function runJob(job: Job): Promise<void> {
    const dir = await mkdtemp(join(options.workDir, `${job.id}-`));
    const fault = options.faults?.job(job.id);
    try {
      stopIfCanceled(job);
      job.status = 'PROGRESSING';
      job.startTime = new Date();
      job.percent = 0;
      await emit(job, 'PROGRESSING');
      const { bucket, key, url } = job.plan.input;
      const input = join(dir, `input${key.includes('.') ? key.slice(key.lastIndexOf('.')) : ''}`);
      try {
        await download(options.s3, bucket, key, input);
      } catch (error) {
        const name = error instanceof Error ? error.name : 'Error';
        if (isTransientAwsError(error)) throw engineFailure(error);
        throw new JobFailure(
          ERROR_CODES.INPUT,
          `Unable to open input file [${url}]: [Failed probe/open: [Can't read input stream: [${name}]]]`,
          { cause: error },
        );
      }
      let probed: FfprobeOutput;
      try {
        probed = await ffprobeJson(input);
      } catch (error) {
        throw new JobFailure(
          ERROR_CODES.INPUT,
          `Unable to open input file [${url}]: [Failed probe/open: [No parser found for container]]`,
          { cause: error },
        );
      }
      if (!probed.streams.some((stream) => stream.codec_type === 'video')) {
        throw new JobFailure(
          ERROR_CODES.INPUT,
          `Unable to open input file [${url}]: [Failed probe/open: [No video track found in input container]]`,
        );
      }
      const audioStreams = probed.streams.filter((stream) => stream.codec_type === 'audio').length;
      const inputDurationMs = Math.round(Number(probed.format.duration ?? 0) * 1000);
      const total = job.plan.groups.reduce((sum, group) => sum + group.outputs.length, 0);
      const renditions = job.plan.groups.flatMap((group) => group.outputs).filter((o) => o.kind === 'mp4');
      // The injected engine death kills the second rendition's ffmpeg (the first is written by then),
      // or the only one's when the video's ladder has one rendition.
      const dying = renditions[Math.min(1, renditions.length - 1)];
      let done = 0;
      const groups: OutputDetail[][] = [];
      for (const group of job.plan.groups) {
        const details: OutputDetail[] = [];
        for (const output of group.outputs) {
          stopIfCanceled(job);
          const rendering =
            output.kind === 'mp4'
              ? renderMp4(options.s3, job, output, group.destination.bucket, input, dir, audioStreams)
              : renderFrames(options.s3, job, output, group.destination.bucket, input, dir, inputDurationMs);
          if (fault === 'die-mid-job' && output === dying) job.engine.abort();
          details.push(await rendering);
          done += 1;
          stopIfCanceled(job);
          job.percent = Math.min(99, Math.round((done / total) * 100));
          await emit(job, 'STATUS_UPDATE', {
            framesDecoded: 0,
            jobProgress: { jobPercentComplete: job.percent, currentPhase: 'TRANSCODING', retryCount: 0 },
          });
        }
        groups.push(details);
      }
      stopIfCanceled(job);
      job.groups = groups;
      job.status = 'COMPLETE';
      job.percent = 100;
      job.finishTime = new Date();
      for (const [g, details] of groups.entries())
        for (const [o, d] of details.entries())
          options.usage?.transcoderOutput({
            backend: 'mediaconvert',
            durationMs: d.durationInMs,
            width: d.widthInPx,
            height: d.heightInPx,
            frameCapture: job.plan.groups[g]?.outputs[o]?.kind === 'frame-capture',
          });
      if (fault === 'lose-completion') return;
      await emit(job, 'COMPLETE', {
        outputGroupDetails: groups.map((details) => ({
          outputDetails: details.map((detail) => ({
            outputFilePaths: [detail.path],
            durationInMs: detail.durationInMs,
            videoDetails: {
              widthInPx: detail.widthInPx,
              heightInPx: detail.heightInPx,
              ...(detail.averageBitrate !== undefined && { averageBitrate: detail.averageBitrate }),
            },
          })),
          type: 'FILE_GROUP',
        })),
        paddingInserted: 0,
        blackVideoDetected: 0,
      });
    } catch (error) {
      // CancelJob reports the cancellation itself, once the job has stopped; a stopped emulator says nothing.
      if (job.status === 'CANCELED' || stopped) return;
      const failure = error instanceof JobFailure ? error : engineFailure(error);
      job.status = 'ERROR';
      job.errorCode = failure.code;
      job.errorMessage = failure.message;
      job.finishTime = new Date();
      await emit(job, 'ERROR', { errorCode: failure.code, errorMessage: failure.message });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  function createJob(body: Record<string, unknown>): { job: Job; created: boolean } {
    const plan = planJob(body);
    const existing = plan.clientRequestToken ? byToken.get(plan.clientRequestToken) : undefined;
    if (existing) return { job: existing, created: false };
    const id = `${Date.now()}-${randomBytes(3).toString('hex')}`;
    const { clientRequestToken: _token, ...wire } = body;
    const job: Job = {
      id,
      arn: `arn:aws:mediaconvert:${region}:${account}:jobs/${id}`,
      plan,
      wire: { ...wire, queue: plan.queue ?? `arn:aws:mediaconvert:${region}:${account}:queues/Default` },
      submitTime: new Date(),
      abort: new AbortController(),
      engine: new AbortController(),
      status: 'SUBMITTED',
    };
    jobs.set(id, job);
    if (plan.clientRequestToken) byToken.set(plan.clientRequestToken, job);
    options.events.emit('job', {
      jobId: id,
      ...(plan.userMetadata.videoId && { videoId: plan.userMetadata.videoId }),
      status: 'SUBMITTED',
    });
    queue = queue.then(() => run(job)).catch(onError);
    return { job, created: true };
  }

  /**
   * CancelJob: a SUBMITTED or PROGRESSING job becomes CANCELED; ffmpeg is killed and nothing more is
   * written (an upload already under way finishes before this answers). The CANCELED event follows.
   * A job that ended already is a ConflictException, as in MediaConvert.
   */
  async function cancelJob(id: string): Promise<void> {
    const job = jobs.get(id);
    if (!job) throw new ServiceError(404, 'NotFoundException', `The specified job ${id} does not exist.`);
    if (job.status !== 'SUBMITTED' && job.status !== 'PROGRESSING') {
      throw new ServiceError(
        409,
        'ConflictException',
        `The job ${id} can't be canceled because its status is ${job.status}.`,
      );
    }
    job.status = 'CANCELED';
    job.finishTime = new Date();
    job.abort.abort();
    await job.running;
    await emit(job, 'CANCELED');
  }

  return {
    get: (id) => jobs.get(id),
    create: createJob,
    cancel: cancelJob,
    whenIdle: async () => {
      let current: Promise<void>;
      do {
        current = queue;
        await current;
      } while (current !== queue);
    },
    halt: () => {
      stopped = true;
      for (const job of jobs.values()) job.abort.abort();
    },
    halted: () => queue,
  };
}
