import { EventEmitter } from 'node:events';
import { mkdir } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { S3Client } from '@aws-sdk/client-s3';
import { type ServedEmulator, ServiceError, type TranscoderFaults } from '#local/emulators/common';
import type { UsageMeter } from '#local/usage';
import type { MediaConvertJobStateEvent } from './job.ts';
import { wireJob } from './job.ts';
import { startJobQueue } from './jobs.ts';
import { probeFiles } from './probe.ts';
import { JobSettingsError } from './settings.ts';

/** What the emulator needs: where media lives, where events go, and scratch space for ffmpeg. */
export interface MediaConvertOptions {
  /** Reads inputs and writes outputs; the role in the job is not checked. */
  readonly s3: S3Client;
  /** Puts every job-state event (PROGRESSING, STATUS_UPDATE, COMPLETE, ERROR, CANCELED) on the bus, in order. */
  readonly publish: (event: MediaConvertJobStateEvent) => void | Promise<void>;
  /** Directory for per-job scratch files; each job's folder is removed when it ends. */
  readonly workDir: string;
  readonly host?: string;
  /** 0 (default) picks a free port. */
  readonly port?: number;
  readonly region?: string;
  readonly account?: string;
  /** Where failures of `publish` itself go (the job has already ended by then); `console.error` by default. */
  readonly onError?: (error: unknown) => void;
  /** Injected faults (tests): an engine that dies mid-job, a lost COMPLETE event, a hung CreateJob. */
  readonly faults?: TranscoderFaults;
  /** Counts every output of every job that completes, with its duration and size. */
  readonly usage?: UsageMeter;
}

/** The running MediaConvert emulator. */
export interface LocalMediaConvert extends ServedEmulator {
  /**
   * Emits `job` ({ jobId, videoId?, status, percent? }): SUBMITTED for every job CreateJob creates (not
   * for one a repeated token returns), then each state its events report.
   */
  readonly events: EventEmitter;
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}

function sendError(response: ServerResponse, status: number, type: string, message: string): void {
  // restJson1: the SDK reads the error name from x-amzn-errortype and the text from `message`.
  response.writeHead(status, { 'content-type': 'application/json', 'x-amzn-errortype': type });
  response.end(JSON.stringify({ message }));
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Starts a local AWS Elemental MediaConvert: CreateJob, GetJob, CancelJob and Probe over the REST API the SDK speaks,
 * real ffmpeg behind them. Jobs run one at a time (the machine is small); each emits the EventBridge events
 * MediaConvert would. CreateJob honours ClientRequestToken: the same token returns the same job.
 */
export async function startMediaConvert(options: MediaConvertOptions): Promise<LocalMediaConvert> {
  const region = options.region ?? 'us-east-1';
  const account = options.account ?? '000000000000';
  const onError = options.onError ?? ((error: unknown) => console.error('mediaconvert emulator:', error));
  const events = new EventEmitter();
  await mkdir(options.workDir, { recursive: true });
  const jobs = startJobQueue({
    s3: options.s3,
    publish: options.publish,
    events,
    workDir: options.workDir,
    region,
    account,
    onError,
    ...(options.faults && { faults: options.faults }),
    ...(options.usage && { usage: options.usage }),
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    const jobMatch = /^\/2017-08-29\/jobs\/([^/]+)$/.exec(path);
    try {
      if (request.method === 'POST' && (path === '/2017-08-29/jobs' || path === '/2017-08-29/probe')) {
        let body: unknown;
        try {
          body = JSON.parse((await readBody(request)) || '{}');
        } catch {
          sendError(response, 400, 'BadRequestException', 'The request body is not JSON.');
          return;
        }
        if (typeof body !== 'object' || body === null || Array.isArray(body)) {
          sendError(response, 400, 'BadRequestException', 'The request body should be a JSON object.');
          return;
        }
        if (path === '/2017-08-29/probe') {
          sendJson(
            response,
            200,
            await probeFiles(options.s3, options.workDir, body as Record<string, unknown>),
          );
          return;
        }
        const stall = options.faults?.stall('CreateJob');
        if (stall !== undefined) {
          // The injected hang: the request is never processed, its connection dropped after a while.
          await new Promise((resolve) => setTimeout(resolve, stall));
          request.socket.destroy();
          return;
        }
        const { job } = jobs.create(body as Record<string, unknown>);
        sendJson(response, 201, { job: wireJob(job) });
        return;
      }
      if (request.method === 'DELETE' && jobMatch?.[1]) {
        await jobs.cancel(decodeURIComponent(jobMatch[1]));
        sendJson(response, 202, {});
        return;
      }
      if (request.method === 'GET' && jobMatch?.[1]) {
        const job = jobs.get(decodeURIComponent(jobMatch[1]));
        if (!job) {
          sendError(response, 404, 'NotFoundException', `The specified job ${jobMatch[1]} does not exist.`);
          return;
        }
        sendJson(response, 200, { job: wireJob(job) });
        return;
      }
      sendError(
        response,
        404,
        'NotFoundException',
        `${request.method} ${path} is not implemented by the local MediaConvert emulator (CreateJob, GetJob, CancelJob and Probe are).`,
      );
    } catch (error) {
      if (error instanceof ServiceError) {
        sendError(response, error.status, error.type, error.message);
        return;
      }
      if (error instanceof JobSettingsError) {
        sendError(response, 400, 'BadRequestException', error.message);
        return;
      }
      onError(error);
      sendError(
        response,
        500,
        'InternalServerErrorException',
        error instanceof Error ? error.message : String(error),
      );
    }
  }

  const server = createServer((request, response) => {
    void handle(request, response);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const endpoint = `http://${options.host ?? '127.0.0.1'}:${address.port}`;

  return {
    endpoint,
    events,
    whenIdle: () => jobs.whenIdle(),
    stop: async () => {
      jobs.halt();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await jobs.halted();
    },
  };
}
