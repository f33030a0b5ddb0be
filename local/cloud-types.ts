import type { EventEmitter } from 'node:events';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { S3Client } from '@aws-sdk/client-s3';
import type { Fault, FiredFault, InjectedFault, LOCAL_CREDENTIALS } from '#local/emulators/common';
import type { DeadLetter, InvokeResult } from '#local/emulators/lambda';
import type { SynthesizedStack } from '#local/synthesized-stack';
import type { LocalUsage } from '#local/usage';
import type { RenditionLadder } from '#shared/video';

/** Options of `startLocalCloud`. */
export interface LocalCloudOptions {
  /** Path of the synthesized `cdk.tf.json`; default `cdktf.out/stacks/local/cdk.tf.json`. */
  readonly stackFile?: string;
  /** An already loaded (possibly edited) stack; wins over `stackFile`. */
  readonly stack?: SynthesizedStack;
  /** Where objects, logs and scratch files go; default a fresh temp directory, removed by `stop()`. */
  readonly dataDir?: string;
  /** Delay between async retries (Lambda waits minutes; tests want milliseconds). */
  readonly retryDelayMs?: number;
  /** Faults to inject from the start (tests); none by default. More with {@link LocalCloud.faults}. */
  readonly faults?: readonly Fault[];
  /**
   * `run` (default): the stack's `rate(...)` schedules fire on their period, as EventBridge's do.
   * `manual`: they fire only when {@link LocalCloud.runSchedule} says so (tests that set the clock).
   */
  readonly schedules?: 'run' | 'manual';
  /**
   * Overrides the stage's `renditionLadder` in the stack's functions (`RENDITION_LADDER` of
   * transcode-video), as a stack synthesized with `RENDITION_LADDER=<value>` would set it: `full` makes
   * every rendition of every video. Default: the stack's own value (`source`).
   */
  readonly renditionLadder?: RenditionLadder;
}

/** Injects faults into a running local cloud (tests); see {@link Fault}. */
export interface LocalFaults {
  inject(fault: Fault): InjectedFault;
  /** Takes back every injected fault. */
  clear(): void;
  /** Kills the running containers of a function now, as a crash would; resolves to how many. */
  kill(functionName: string): number;
  /** Every fault that fired so far, in order. */
  readonly history: readonly FiredFault[];
}

/** Endpoints of the running emulators, for SDK clients and the AWS CLI. */
export interface LocalEndpoints {
  readonly s3: string;
  readonly dynamodb: string;
  /** The Lambda API: Invoke, through which functions invoke each other, and GetFunctionEventInvokeConfig. */
  readonly lambda: string;
  /** SQS, holding the stack's queues: the on-failure destinations, where dead letters wait for a redrive. */
  readonly sqs: string;
  readonly elasticTranscoder?: string;
  readonly mediaconvert?: string;
}

/** A progress event of the local cloud (emitted on {@link LocalCloud.events} as `progress`). */
export type ProgressEvent =
  | {
      readonly kind: 's3';
      readonly bucket: string;
      /** As S3 encodes it in events. */
      readonly key: string;
      readonly versionId?: string;
      readonly eventName: string;
    }
  | {
      readonly kind: 'job';
      readonly backend: string;
      readonly jobId: string;
      readonly videoId?: string;
      readonly status: string;
      readonly percent?: number;
    }
  | {
      readonly kind: 'invocation';
      readonly functionName: string;
      readonly attempt: number;
      readonly ok: boolean;
      readonly error?: string;
    }
  | { readonly kind: 'dead-letter'; readonly letter: DeadLetter };

/** The whole pipeline on 127.0.0.1, wired from the synthesized stack. */
export interface LocalCloud {
  readonly stack: SynthesizedStack;
  readonly region: string;
  readonly credentials: typeof LOCAL_CREDENTIALS;
  readonly endpoints: LocalEndpoints;
  /** Physical names the stack gives the main resources. */
  readonly names: {
    readonly uploadBucket: string;
    readonly transcodedBucket: string;
    readonly videoTable: string;
  };
  readonly transcoder: 'elastic-transcoder' | 'mediaconvert';
  readonly clients: { readonly s3: S3Client; readonly dynamodb: DynamoDBClient };
  /** Events every function gave up on after its retries (its on-failure destination). */
  readonly deadLetters: readonly DeadLetter[];
  /**
   * The messages in each SQS queue of the stack, by queue ARN: on an on-failure destination, Lambda's
   * record of each event a function gave up on ({@link OnFailureRecord}), until a redrive deletes it.
   */
  readonly queues: ReadonlyMap<string, unknown[]>;
  /** Bytes served by S3 GETs per `bucket/key`. */
  readonly bytesServed: ReadonlyMap<string, number>;
  /** What every emulator served, counted as AWS bills it: invocations, request units, requests, output minutes. */
  readonly usage: LocalUsage;
  /**
   * Emits `progress` ({@link ProgressEvent}), `delivery` ({ target, event, origin }), `log`
   * ({ functionName, line }) and `warning` (an Error the cloud could not deliver or announce).
   */
  readonly events: EventEmitter;
  readonly dataDir: string;
  /**
   * Delivers an event to a target ARN (function, topic or queue) the way S3, SNS and EventBridge
   * do: asynchronously, with the target's retry semantics. Tests use it to redeliver an event.
   */
  deliver(targetArn: string, event: unknown, origin?: string): void;
  /** Invokes a function synchronously, by name or ARN (what API Gateway does). */
  invoke(functionName: string, event: unknown): Promise<InvokeResult>;
  /** Resolves once every S3 write so far has been delivered to the targets its bucket's notifications select. */
  whenAnnounced(): Promise<void>;
  /** Runs DynamoDB's TTL now (the emulator also sweeps every minute): deletes items expired at `now`. */
  expireItems(now?: Date): Promise<number>;
  /** Injected faults: off unless a test injects one. */
  readonly faults: LocalFaults;
  /**
   * Fires the stack's scheduled rules now (one by name, or all), with `time` as the scheduled event's
   * time (a test's clock; default now): the reconciler runs as its schedule would make it.
   */
  runSchedule(ruleName?: string, options?: { time?: Date }): void;
  /** Resolves when nothing is queued or running anywhere: no invocation, no job, no pending notification. */
  whenIdle(): Promise<void>;
  /**
   * Stops every emulator: running transcoder jobs are cancelled (ffmpeg killed), queued ones and pending
   * retries never run, Lambda containers are killed; then the data directory it owns is removed.
   */
  stop(): Promise<void>;
  /**
   * Ends it at once and synchronously, for a process that is about to exit (a second Ctrl-C, a crash):
   * kills every Lambda container and ffmpeg, and removes the data directory it owns.
   */
  abort(): void;
}
