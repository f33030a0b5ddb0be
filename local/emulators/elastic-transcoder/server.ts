import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { mkdir } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { S3Client } from '@aws-sdk/client-s3';
import { type ServedEmulator, ServiceError, type TranscoderFaults } from '#local/emulators/common';
import type { UsageMeter } from '#local/usage';
import { type Publish, startJobQueue } from './jobs.ts';
import { type PipelineSpec, pipelineView } from './pipelines.ts';
import { presetView, SYSTEM_PRESETS } from './presets.ts';

/** The running Elastic Transcoder emulator. */
export interface LocalElasticTranscoder extends ServedEmulator {
  /** Emits `job` ({ jobId, videoId, status, percent? }) as jobs advance (`Submitted` when created). */
  readonly events: EventEmitter;
  addPipeline(pipeline: PipelineSpec): void;
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
  /** Counts every output of every job that completes, with its duration and size. */
  usage?: UsageMeter;
  pipelines?: readonly PipelineSpec[];
}): Promise<LocalElasticTranscoder> {
  const pipelines = new Map<string, PipelineSpec>();
  for (const spec of options.pipelines ?? []) pipelines.set(spec.id, spec);
  const events = new EventEmitter();
  await mkdir(options.workDir, { recursive: true });
  const jobs = startJobQueue({ ...options, events, pipelines });

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
      return { status: 201, body: { Job: jobs.create(body) } };
    }
    if (req.method === 'DELETE' && collection === 'jobs' && id) {
      return { status: 202, body: jobs.cancel(id) };
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
      return { status: 200, body: { Preset: presetView(id, preset, options) } };
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
    whenIdle: () => jobs.whenIdle(),
    async stop() {
      await jobs.halt();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
