import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rm, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { isTransientAwsError } from '#shared/transcoder';
import type { UsageMeter } from '#local/usage';
import type { TranscoderFaults } from '../faults.ts';
import {
  FfmpegError,
  multiRenditionArgs,
  probe,
  type RenditionEncoding,
  runFfmpeg,
} from '../media/ffmpeg.ts';
import { ServiceError } from './service-error.ts';

/** A pipeline, as `aws_elastictranscoder_pipeline` declares it (tokens resolved). */
export interface PipelineSpec {
  readonly id: string;
  readonly arn: string;
  readonly name: string;
  readonly inputBucket: string;
  readonly outputBucket: string;
  readonly role: string;
  readonly notifications: { progressing?: string; completed?: string; warning?: string; error?: string };
}

/** A system preset: its name and the encoding the emulator runs for it. */
export interface SystemPreset {
  readonly name: string;
  readonly description: string;
  readonly encoding: RenditionEncoding;
}

/**
 * The system presets the emulator knows, by id, with the settings of the real ones
 * (H.264/AAC MP4 that fits the preset's maximum size).
 * https://docs.aws.amazon.com/elastictranscoder/latest/developerguide/system-presets.html
 */
export const SYSTEM_PRESETS: Readonly<Record<string, SystemPreset>> = {
  '1351620000001-000001': {
    name: 'System preset: Generic 1080p',
    description: 'System preset generic 1080p',
    encoding: {
      maxWidth: 1920,
      maxHeight: 1080,
      videoBitrateKbps: 5400,
      audioBitrateKbps: 160,
      profile: 'high',
    },
  },
  '1351620000001-000010': {
    name: 'System preset: Generic 720p',
    description: 'System preset generic 720p',
    encoding: {
      maxWidth: 1280,
      maxHeight: 720,
      videoBitrateKbps: 2400,
      audioBitrateKbps: 160,
      profile: 'main',
    },
  },
  '1351620000001-100070': {
    name: 'System preset: Web',
    description: 'System preset: Web (Facebook, SmugMug, Vimeo, YouTube), 720p',
    encoding: {
      maxWidth: 1280,
      maxHeight: 720,
      videoBitrateKbps: 2200,
      audioBitrateKbps: 160,
      profile: 'main',
    },
  },
};

/** Publishes a message to an SNS topic (the cloud's SNS). */
export type Publish = (topicArn: string, message: string, subject: string) => void;

type JobStatus = 'Submitted' | 'Progressing' | 'Complete' | 'Canceled' | 'Error';

interface JobOutput {
  Id: string;
  Key: string;
  PresetId: string;
  Status: JobStatus;
  StatusDetail?: string;
  Duration?: number;
  DurationMillis?: number;
  Width?: number;
  Height?: number;
  FileSize?: number;
}

interface Job {
  Id: string;
  Arn: string;
  PipelineId: string;
  Input: { Key: string };
  Inputs: { Key: string }[];
  OutputKeyPrefix?: string;
  Outputs: JobOutput[];
  Output?: JobOutput;
  Status: JobStatus;
  UserMetadata?: Record<string, string>;
  Timing: { SubmitTimeMillis: number; StartTimeMillis?: number; FinishTimeMillis?: number };
}

/**
 * Job error codes (https://docs.aws.amazon.com/elastictranscoder/latest/developerguide/error-handling.html):
 * the input's faults (3001 no such input, 4000 a file it cannot interpret) and the service's own
 * (3000 "Unclassified Storage Error" when S3 fails it, 9000 / 9999 "Internal Service Error").
 */
const ERROR_CODES = { NO_INPUT: 3001, STORAGE: 3000, BAD_INPUT: 4000, ENGINE: 9000, INTERNAL: 9999 } as const;

/** The running Elastic Transcoder emulator. */
export interface LocalElasticTranscoder {
  /** `http://127.0.0.1:<port>`, for `AWS_ENDPOINT_URL_ELASTIC_TRANSCODER`. */
  readonly endpoint: string;
  /** Emits `job` ({ jobId, videoId, status, percent? }) as jobs advance (`Submitted` when created). */
  readonly events: EventEmitter;
  addPipeline(pipeline: PipelineSpec): void;
  /** Resolves when no job is waiting or running. */
  whenIdle(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Serves the part of the Elastic Transcoder REST API (2012-09-25) that the adapter uses —
 * CreateJob, ReadJob, CancelJob (Submitted jobs only), ReadPipeline, ReadPreset — and runs each job with real ffmpeg: input read
 * from the pipeline's input bucket, every output encoded in one ffmpeg process, outputs written to
 * the output bucket, Progressing/Completed/Error notifications sent to the pipeline's topics.
 */
export async function startElasticTranscoder(options: {
  s3: S3Client;
  publish: Publish;
  workDir: string;
  region: string;
  account: string;
  concurrency?: number;
  /** Injected faults (tests): an engine that dies mid-job, a lost Completed notification, a hung CreateJob. */
  faults?: TranscoderFaults;
  /** Counts every output of every job that completes, with its duration and height. */
  usage?: UsageMeter;
}): Promise<LocalElasticTranscoder> {
  const pipelines = new Map<string, PipelineSpec>();
  const jobs = new Map<string, Job>();
  const events = new EventEmitter();
  const queue: Job[] = [];
  let running = 0;
  let idleWaiters: (() => void)[] = [];
  let stopped = false;
  // Kills the running jobs' ffmpeg when the emulator stops.
  const stopping = new AbortController();
  await mkdir(options.workDir, { recursive: true });

  const newJobId = () => {
    const digits = `${Date.now()}`.slice(-13).padStart(13, '1');
    return `${digits}-${randomBytes(3).toString('hex')}`;
  };

  const notify = (
    job: Job,
    state: 'PROGRESSING' | 'COMPLETED' | 'ERROR',
    error?: { code: number; message: string },
  ) => {
    const pipe = pipelines.get(job.PipelineId);
    const topic = {
      PROGRESSING: pipe?.notifications.progressing,
      COMPLETED: pipe?.notifications.completed,
      ERROR: pipe?.notifications.error,
    }[state];
    if (!topic || stopped) return;
    // Message format: https://docs.aws.amazon.com/elastictranscoder/latest/developerguide/notifications.html
    const message = {
      state,
      version: '2012-09-25',
      jobId: job.Id,
      pipelineId: job.PipelineId,
      input: { key: job.Input.Key },
      inputCount: 1,
      ...(job.OutputKeyPrefix !== undefined && { outputKeyPrefix: job.OutputKeyPrefix }),
      outputs: job.Outputs.map((o) => ({
        id: o.Id,
        presetId: o.PresetId,
        key: o.Key,
        status: o.Status,
        ...(o.StatusDetail !== undefined && { statusDetail: o.StatusDetail }),
        ...(error && { errorCode: error.code }),
        ...(o.Duration !== undefined && { duration: o.Duration, durationMillis: o.DurationMillis }),
        ...(o.Width !== undefined && { width: o.Width, height: o.Height }),
        ...(o.FileSize !== undefined && { fileSize: o.FileSize }),
      })),
      ...(job.UserMetadata && { userMetadata: job.UserMetadata }),
      ...(error && { errorCode: error.code, messageDetails: error.message }),
    };
    const subject = {
      PROGRESSING: `The Amazon Elastic Transcoder job ${job.Id} has started processing.`,
      COMPLETED: `The Amazon Elastic Transcoder job ${job.Id} has finished.`,
      ERROR: `The Amazon Elastic Transcoder job ${job.Id} has failed.`,
    }[state];
    options.publish(topic, JSON.stringify(message), subject);
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
        if ((error as { name?: string }).name === 'NoSuchKey') {
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
    const pipelineId = String(body.PipelineId ?? '');
    const pipe = pipelines.get(pipelineId);
    if (!pipe)
      throw new ServiceError(
        404,
        'ResourceNotFoundException',
        `The specified pipeline was not found: account=${options.account}, pipelineId=${pipelineId}.`,
      );
    const input = body.Input as { Key?: string } | undefined;
    if (!input?.Key)
      throw new ServiceError(
        400,
        'ValidationException',
        "1 validation error detected: Value null at 'input.key' failed to satisfy constraint: Member must not be null",
      );
    const outputs = (Array.isArray(body.Outputs) ? body.Outputs : body.Output ? [body.Output] : []) as {
      Key?: string;
      PresetId?: string;
    }[];
    if (outputs.length === 0)
      throw new ServiceError(400, 'ValidationException', 'The request must contain at least one output.');
    for (const output of outputs) {
      if (!output.Key)
        throw new ServiceError(
          400,
          'ValidationException',
          "Value null at 'outputs.member.key' failed to satisfy constraint: Member must not be null",
        );
      if (!output.PresetId || !SYSTEM_PRESETS[output.PresetId]) {
        throw new ServiceError(
          400,
          'ValidationException',
          `The specified preset was not found: presetId=${output.PresetId}.`,
        );
      }
    }
    const id = newJobId();
    const job: Job = {
      Id: id,
      Arn: `arn:aws:elastictranscoder:${options.region}:${options.account}:job/${id}`,
      PipelineId: pipelineId,
      Input: { Key: input.Key },
      Inputs: [{ Key: input.Key }],
      ...(typeof body.OutputKeyPrefix === 'string' && { OutputKeyPrefix: body.OutputKeyPrefix }),
      Outputs: outputs.map((o, i) => ({
        Id: String(i + 1),
        Key: String(o.Key),
        PresetId: String(o.PresetId),
        Status: 'Submitted',
      })),
      Status: 'Submitted',
      ...(body.UserMetadata !== undefined && { UserMetadata: body.UserMetadata as Record<string, string> }),
      Timing: { SubmitTimeMillis: Date.now() },
    };
    job.Output = job.Outputs[0];
    jobs.set(id, job);
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

  const pipelineView = (p: PipelineSpec) => ({
    Id: p.id,
    Arn: p.arn,
    Name: p.name,
    Status: 'Active',
    InputBucket: p.inputBucket,
    OutputBucket: p.outputBucket,
    Role: p.role,
    Notifications: {
      Progressing: p.notifications.progressing ?? '',
      Completed: p.notifications.completed ?? '',
      Warning: p.notifications.warning ?? '',
      Error: p.notifications.error ?? '',
    },
  });

  const handle = async (req: IncomingMessage): Promise<{ status: number; body: unknown }> => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    if (parts[0] !== '2012-09-25')
      throw new ServiceError(404, 'UnknownOperationException', `Unknown path ${url.pathname}`);
    const [, collection, id] = parts;
    if (req.method === 'POST' && collection === 'jobs' && !id) {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
      return { status: 201, body: { Job: createJob(body) } };
    }
    if (req.method === 'DELETE' && collection === 'jobs' && id) {
      return { status: 202, body: cancelJob(id) };
    }
    if (req.method === 'GET' && collection === 'jobs' && id) {
      const job = jobs.get(id);
      if (!job)
        throw new ServiceError(
          404,
          'ResourceNotFoundException',
          `The specified job was not found: account=${options.account}, jobId=${id}.`,
        );
      return { status: 200, body: { Job: job } };
    }
    if (req.method === 'GET' && collection === 'pipelines' && id) {
      const pipe = pipelines.get(id);
      if (!pipe)
        throw new ServiceError(
          404,
          'ResourceNotFoundException',
          `The specified pipeline was not found: account=${options.account}, pipelineId=${id}.`,
        );
      return { status: 200, body: { Pipeline: pipelineView(pipe), Warnings: [] } };
    }
    if (req.method === 'GET' && collection === 'presets' && id) {
      const preset = SYSTEM_PRESETS[id];
      if (!preset)
        throw new ServiceError(
          404,
          'ResourceNotFoundException',
          `The specified preset was not found: presetId=${id}.`,
        );
      return {
        status: 200,
        body: {
          Preset: {
            Id: id,
            Arn: `arn:aws:elastictranscoder:${options.region}:${options.account}:preset/${id}`,
            Name: preset.name,
            Description: preset.description,
            Container: 'mp4',
            Type: 'System',
            Video: {
              Codec: 'H.264',
              CodecOptions: { Profile: preset.encoding.profile },
              BitRate: String(preset.encoding.videoBitrateKbps),
              MaxWidth: String(preset.encoding.maxWidth),
              MaxHeight: String(preset.encoding.maxHeight),
              SizingPolicy: 'ShrinkToFit',
              PaddingPolicy: 'NoPad',
              DisplayAspectRatio: 'auto',
              FrameRate: 'auto',
            },
            Audio: {
              Codec: 'AAC',
              BitRate: String(preset.encoding.audioBitrateKbps),
              Channels: '2',
              SampleRate: '44100',
            },
          },
        },
      };
    }
    throw new ServiceError(
      404,
      'UnknownOperationException',
      `${req.method} ${url.pathname} is not implemented by the local Elastic Transcoder.`,
    );
  };

  const server: Server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const stall =
      req.method === 'POST' && /\/jobs$/.test(req.url ?? '') ? options.faults?.stall('CreateJob') : undefined;
    if (stall !== undefined) {
      // The injected hang: the request is never processed, its connection dropped after a while.
      await new Promise((resolve) => setTimeout(resolve, stall));
      req.socket.destroy();
      return;
    }
    handle(req)
      .then(({ status, body }) => {
        res.writeHead(status, {
          'content-type': 'application/json',
          'x-amzn-requestid': randomBytes(16).toString('hex'),
        });
        res.end(JSON.stringify(body));
      })
      .catch((error: unknown) => {
        const et =
          error instanceof ServiceError
            ? error
            : new ServiceError(400, 'ValidationException', (error as Error).message);
        res.writeHead(et.status, { 'content-type': 'application/json', 'x-amzn-errortype': et.type });
        res.end(JSON.stringify({ message: et.message }));
      });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));

  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    events,
    addPipeline(spec) {
      pipelines.set(spec.id, spec);
    },
    whenIdle() {
      if (running === 0 && queue.length === 0) return Promise.resolve();
      return new Promise((resolve) => idleWaiters.push(resolve));
    },
    async stop() {
      stopped = true;
      queue.length = 0;
      stopping.abort();
      if (running > 0) await new Promise<void>((resolve) => idleWaiters.push(resolve));
      idleWaiters = [];
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
