import { EventEmitter } from 'node:events';
import { rmSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { S3Client } from '@aws-sdk/client-s3';
import { type LocalUsage, METER_APP_ID, s3ClientFor, storedBytes, UsageMeter } from '#local/usage';
import { ENV } from '#shared/config';
import type { RenditionLadder } from '#shared/video';
import { startDynamoDB, tableFromTerraform, ttlFromTerraform } from './emulators/dynamodb.ts';
import { startElasticTranscoder } from './emulators/elastic-transcoder.ts';
import {
  type Fault,
  FaultRegistry,
  type FiredFault,
  type InjectedFault,
  transcoderFaults,
} from './faults.ts';
import { LocalEventBridge, type PutEventEntry } from './emulators/eventbridge.ts';
import { LOCAL_CREDENTIALS, startS3 } from './emulators/s3.ts';
import type { NotificationConfig } from './emulators/s3-notifications.ts';
import { LocalSns } from './emulators/sns.ts';
import { startSqs } from './emulators/sqs.ts';
import { killMediaProcesses } from './media/ffmpeg.ts';
import { startLambdaApi } from './lambda/api.ts';
import { onFailureRecord } from './lambda/destination.ts';
import { registerFunctions } from './lambda/from-stack.ts';
import { invokeRefusal, readInvokePermissions } from './lambda/permissions.ts';
import { type DeadLetter, type InvokeResult, LambdaRunner } from './lambda/runner.ts';
import { LOCAL_ACCOUNT, type StackResource, SynthesizedStack } from './stack.ts';

type Json = Record<string, unknown>;

/** Options of {@link startLocalCloud}. */
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

/** The default synthesized stack of the local cloud. */
export const DEFAULT_STACK_FILE = 'cdktf.out/stacks/local/cdk.tf.json';

const asList = (value: unknown): Json[] =>
  Array.isArray(value) ? (value as Json[]) : value ? [value as Json] : [];

/**
 * Starts every emulator on 127.0.0.1 and wires them exactly as the synthesized stack says:
 * buckets and their notifications, topics and subscriptions, rules and targets, tables with
 * their indexes, functions with their environment and async invoke config, the transcoder.
 * Nothing is wired that the stack does not declare.
 */
export async function startLocalCloud(options: LocalCloudOptions = {}): Promise<LocalCloud> {
  const stack = options.stack ?? SynthesizedStack.fromFile(options.stackFile ?? DEFAULT_STACK_FILE);
  const ownsDataDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), '24hv-local-')));
  const region = stack.region;
  const events = new EventEmitter();
  const stops: (() => Promise<void>)[] = [];
  const idleChecks: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
    stops.length = 0;
    if (ownsDataDir) await rm(dataDir, { recursive: true, force: true });
  };
  const aborts: (() => void)[] = [killMediaProcesses];
  const abort = () => {
    for (const end of aborts) end();
    if (ownsDataDir) rmSync(dataDir, { recursive: true, force: true });
  };

  const faults = new FaultRegistry(options.faults);
  const meter = new UsageMeter();
  faults.on('fired', (fired: FiredFault) => events.emit('fault', fired));

  try {
    await mkdir(join(dataDir, 'logs'), { recursive: true });
    const s3 = await startS3({
      dataDir: join(dataDir, 's3'),
      region,
      account: LOCAL_ACCOUNT,
      faults,
      usage: meter,
    });
    stops.push(() => s3.stop());
    // Each service's S3 requests are counted as its own (the SDK's app id in the user agent).
    const s3For = (appId: string) => {
      const client = s3ClientFor(appId, {
        endpoint: s3.endpoint,
        region,
        credentials: LOCAL_CREDENTIALS,
        forcePathStyle: true,
      });
      stops.push(async () => client.destroy());
      return client;
    };
    const dynamo = await startDynamoDB({ region, faults, usage: meter });
    stops.push(() => dynamo.stop());
    const runner = new LambdaRunner({
      logDir: join(dataDir, 'logs'),
      retryDelayMs: options.retryDelayMs ?? 200,
      faults,
      usage: meter,
    });
    stops.push(() => runner.stop());
    aborts.unshift(() => runner.abort());
    const lambdaApi = await startLambdaApi(runner, {
      onEvent: (arn, event) => events.emit('delivery', { target: arn, event, origin: 'lambda:invoke' }),
    });
    stops.push(() => lambdaApi.stop());
    const sqs = await startSqs({ region, account: LOCAL_ACCOUNT });
    stops.push(() => sqs.stop());
    for (const queue of stack.resources('aws_sqs_queue')) {
      const config = stack.resolve(queue.config);
      sqs.createQueue({
        name: stack.attribute(queue.address, 'name') as string,
        arn: stack.attribute(queue.address, 'arn') as string,
        ...(config.visibility_timeout_seconds !== undefined && {
          visibilityTimeoutSeconds: Number(config.visibility_timeout_seconds),
        }),
        ...(config.message_retention_seconds !== undefined && {
          messageRetentionSeconds: Number(config.message_retention_seconds),
        }),
      });
    }

    const sns = new LocalSns((arn, event, origin) => deliver(arn, event, origin), region, meter);
    const bridge = new LocalEventBridge(
      (arn, event, origin) => deliver(arn, event, origin),
      region,
      LOCAL_ACCOUNT,
      meter,
    );
    const invokePermissions = readInvokePermissions(stack);
    const delayed = new Set<Promise<void>>();
    // Injected delivery faults: an event to a target delivered twice, or late (overtaken by later ones).
    const deliver = (arn: string, event: unknown, origin: string): void => {
      const name = arn.slice(arn.lastIndexOf(':') + 1);
      const fault = faults.take(
        'events',
        `${origin} → ${arn}`,
        (f) => f.target === undefined || name === f.target || name.endsWith(`-${f.target}`),
      );
      if (fault?.kind === 'delay') {
        const late = new Promise<void>((resolve) => setTimeout(resolve, fault.ms)).then(() =>
          deliverNow(arn, event, origin),
        );
        delayed.add(late);
        void late.finally(() => delayed.delete(late));
        return;
      }
      deliverNow(arn, event, origin);
      if (fault?.kind === 'duplicate') deliverNow(arn, structuredClone(event), origin);
    };
    idleChecks.push(async () => {
      while (delayed.size > 0) await Promise.all([...delayed]);
    });
    // A target the stack names but does not declare loses the event, as AWS would; say so.
    const deliverNow = (arn: string, event: unknown, origin: string): void => {
      events.emit('delivery', { target: arn, event, origin });
      try {
        if (arn.startsWith('arn:aws:lambda:')) {
          const refusal = invokeRefusal(invokePermissions, arn, origin, { region, account: LOCAL_ACCOUNT });
          if (refusal) throw new Error(refusal);
          runner.invokeAsync(arn, event, origin);
        } else if (arn.startsWith('arn:aws:sns:'))
          sns.publish(arn, typeof event === 'string' ? event : JSON.stringify(event), {
            subject: 'Amazon S3 Notification',
          });
        else if (arn.startsWith('arn:aws:sqs:'))
          sqs.send(arn, typeof event === 'string' ? event : JSON.stringify(event));
        else throw new Error(`No local delivery for ${arn}.`);
      } catch (error) {
        events.emit(
          'warning',
          new Error(`Event from ${origin} to ${arn} was not delivered: ${(error as Error).message}`, {
            cause: error,
          }),
        );
      }
    };
    const publish = (topic: string, message: string, subject: string): void => {
      try {
        sns.publish(topic, message, { subject });
      } catch (error) {
        events.emit(
          'warning',
          new Error(`Notification to ${topic} was not delivered: ${(error as Error).message}`, {
            cause: error,
          }),
        );
      }
    };

    for (const bucket of stack.resources('aws_s3_bucket')) {
      await s3.createBucket(stack.attribute(bucket.address, 'bucket') as string);
    }
    const versioned = new Set<string>();
    for (const versioning of stack.resources('aws_s3_bucket_versioning')) {
      const status = asList(stack.resolve(versioning.config).versioning_configuration)[0]?.status;
      const bucket = stack.resolveString(versioning.config.bucket, `${versioning.address}.bucket`);
      s3.setVersioning(bucket, status === 'Enabled');
      if (status === 'Enabled') versioned.add(bucket);
    }
    for (const cors of stack.resources('aws_s3_bucket_cors_configuration')) {
      const config = stack.resolve(cors.config);
      await s3.setCors(
        stack.resolveString(cors.config.bucket, `${cors.address}.bucket`),
        asList(config.cors_rule).map((rule) => ({
          allowedOrigins: asList(rule.allowed_origins) as unknown as string[],
          allowedMethods: asList(rule.allowed_methods) as unknown as string[],
          ...(rule.allowed_headers !== undefined && {
            allowedHeaders: asList(rule.allowed_headers) as unknown as string[],
          }),
          ...(rule.expose_headers !== undefined && {
            exposeHeaders: asList(rule.expose_headers) as unknown as string[],
          }),
          ...(rule.max_age_seconds !== undefined && { maxAgeSeconds: Number(rule.max_age_seconds) }),
        })),
      );
    }
    s3.notifications.on('notification', ({ target, event }) => {
      const record = event.Records[0] as {
        eventName: string;
        s3: { bucket: { name: string }; object: { key: string; versionId?: string } };
      };
      events.emit('progress', {
        kind: 's3',
        bucket: record.s3.bucket.name,
        key: record.s3.object.key,
        ...(record.s3.object.versionId && { versionId: record.s3.object.versionId }),
        eventName: record.eventName,
      });
      deliver(target.arn, event, `s3:${record.s3.bucket.name}`);
    });
    s3.notifications.on('error', (error) => events.emit('warning', error));
    // The default bus routes it to whatever rules the stack declares, as S3's EventBridge delivery does.
    s3.notifications.on('eventbridge', (entry: PutEventEntry) => bridge.putEvent(entry));
    for (const notification of stack.resources('aws_s3_bucket_notification')) {
      const bucket = stack.resolveString(notification.config.bucket, `${notification.address}.bucket`);
      s3.setNotifications(bucket, notificationConfigs(stack, notification));
      s3.setEventBridge(bucket, stack.resolve(notification.config).eventbridge === true);
    }

    for (const table of stack.resources('aws_dynamodb_table')) {
      const config = stack.resolve(table.config);
      await dynamo.createTable(tableFromTerraform(config));
      const ttl = ttlFromTerraform(config);
      if (ttl) await dynamo.setTimeToLive(String(config.name), ttl);
    }

    for (const topic of stack.resources('aws_sns_topic'))
      sns.createTopic(stack.attribute(topic.address, 'arn') as string);
    for (const sub of stack.resources('aws_sns_topic_subscription')) {
      const config = stack.resolve(sub.config);
      const filter =
        typeof config.filter_policy === 'string' ? (JSON.parse(config.filter_policy) as Json) : undefined;
      sns.subscribe({
        topicArn: stack.resolveString(sub.config.topic_arn, `${sub.address}.topic_arn`),
        protocol: String(config.protocol),
        endpoint: stack.resolveString(sub.config.endpoint, `${sub.address}.endpoint`),
        ...(filter && { filterPolicy: filter }),
        ...(config.filter_policy_scope === 'MessageBody' && { filterPolicyScope: 'MessageBody' as const }),
        ...(config.raw_message_delivery === true && { rawMessageDelivery: true }),
      });
    }

    const targets = stack.resources('aws_cloudwatch_event_target').map((t) => stack.resolve(t.config));
    for (const rule of stack.resources('aws_cloudwatch_event_rule')) {
      const config = stack.resolve(rule.config);
      const name = stack.attribute(rule.address, 'name') as string;
      const ruleTargets = targets
        .filter((t) => t.rule === name)
        .map((t) => ({
          arn: String(t.arn),
          ...(typeof t.input === 'string' && { input: t.input }),
          ...(typeof t.input_path === 'string' && { inputPath: t.input_path }),
        }));
      if (typeof config.schedule_expression === 'string') {
        bridge.addSchedule({ name, expression: config.schedule_expression, targets: ruleTargets });
        continue;
      }
      if (typeof config.event_pattern !== 'string') continue;
      bridge.addRule({
        name,
        bus: typeof config.event_bus_name === 'string' ? config.event_bus_name : 'default',
        pattern: JSON.parse(config.event_pattern) as Json,
        targets: ruleTargets,
      });
    }

    let elasticTranscoderEndpoint: string | undefined;
    const pipelines = stack.resources('aws_elastictranscoder_pipeline');
    if (pipelines.length > 0) {
      const et = await startElasticTranscoder({
        s3: s3For('elastic-transcoder'),
        usage: meter,
        publish,
        workDir: join(dataDir, 'elastic-transcoder'),
        region,
        account: LOCAL_ACCOUNT,
        faults: transcoderFaults(faults),
      });
      stops.push(() => et.stop());
      et.events.on('job', (job) =>
        events.emit('progress', { kind: 'job', backend: 'elastic-transcoder', ...job }),
      );
      for (const pipeline of pipelines) {
        const config = stack.resolve(pipeline.config);
        const notifications = (asList(config.notifications)[0] ?? {}) as Record<string, string | undefined>;
        et.addPipeline({
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
        });
      }
      elasticTranscoderEndpoint = et.endpoint;
      idleChecks.push(() => et.whenIdle());
    }

    let mediaconvertEndpoint: string | undefined;
    if (stack.resources('aws_media_convert_queue').length > 0) {
      const { startMediaConvertEmulator } = await import('./emulators/mediaconvert.ts');
      const mc = await startMediaConvertEmulator({
        s3Client: s3For('mediaconvert'),
        usage: meter,
        emit: (event) => {
          const detail = event.detail as {
            jobId?: string;
            status?: string;
            jobProgress?: { jobPercentComplete?: number };
            userMetadata?: { videoId?: string };
          };
          events.emit('progress', {
            kind: 'job',
            backend: 'mediaconvert',
            jobId: String(detail.jobId),
            ...(detail.userMetadata?.videoId && { videoId: detail.userMetadata.videoId }),
            status: String(detail.status),
            ...(detail.jobProgress?.jobPercentComplete !== undefined && {
              percent: detail.jobProgress.jobPercentComplete,
            }),
          });
          bridge.putRawEvent(event as unknown as Json);
        },
        workDir: join(dataDir, 'mediaconvert'),
        region,
        account: LOCAL_ACCOUNT,
        onError: (error) => events.emit('warning', error),
        onJobCreated: (job) =>
          events.emit('progress', { kind: 'job', backend: 'mediaconvert', ...job, status: 'SUBMITTED' }),
        faults: transcoderFaults(faults),
      });
      stops.push(() => mc.stop());
      mediaconvertEndpoint = mc.endpoint;
      idleChecks.push(() => mc.idle());
    }

    const endpoints: LocalEndpoints = {
      s3: s3.endpoint,
      dynamodb: dynamo.endpoint,
      lambda: lambdaApi.endpoint,
      sqs: sqs.endpoint,
      ...(elasticTranscoderEndpoint && { elasticTranscoder: elasticTranscoderEndpoint }),
      ...(mediaconvertEndpoint && { mediaconvert: mediaconvertEndpoint }),
    };
    await registerFunctions(stack, runner, {
      dataDir,
      endpoints,
      region,
      ...(options.renditionLadder && { overrides: { [ENV.RENDITION_LADDER]: options.renditionLadder } }),
    });
    runner.on(
      'invocation',
      (i: { functionName: string; attempt: number; ok: boolean; error?: { errorMessage: string } }) =>
        events.emit('progress', {
          kind: 'invocation',
          functionName: i.functionName,
          attempt: i.attempt,
          ok: i.ok,
          ...(i.error && { error: i.error.errorMessage }),
        }),
    );
    runner.on('dead-letter', (letter: DeadLetter) => {
      const arn = runner.find(letter.functionName)?.arn ?? letter.functionName;
      if (letter.destination) {
        deliver(letter.destination, onFailureRecord(letter, arn), `lambda:${letter.functionName}`);
      }
      events.emit('progress', { kind: 'dead-letter', letter });
    });
    runner.on('log', (log) => events.emit('log', log));

    const envValues = stack
      .resources('aws_lambda_function')
      .map(
        (fn) => (asList(stack.resolve(fn.config).environment)[0]?.variables ?? {}) as Record<string, unknown>,
      );
    const named = (env: string) =>
      envValues.map((vars) => vars[env]).find((v): v is string => typeof v === 'string');
    const uploadBucket =
      named(ENV.UPLOAD_BUCKET) ??
      (pipelines[0]
        ? stack.resolveString(pipelines[0].config.input_bucket, 'pipeline input bucket')
        : undefined);
    const names = {
      uploadBucket: requireName(uploadBucket, ENV.UPLOAD_BUCKET),
      transcodedBucket: requireName(named(ENV.TRANSCODED_BUCKET), ENV.TRANSCODED_BUCKET),
      videoTable: requireName(named(ENV.VIDEO_TABLE), ENV.VIDEO_TABLE),
    };

    const whenIdle = async (): Promise<void> => {
      // Work hops between emulators (a job ends → SNS → a function → S3 → ...); settle until a full pass is quiet.
      for (let quiet = 0; quiet < 3; ) {
        const before = activity;
        await s3.whenAnnounced();
        await runner.whenIdle();
        for (const check of idleChecks) await check();
        await new Promise((r) => setTimeout(r, 50));
        quiet = activity === before ? quiet + 1 : 0;
      }
    };
    let activity = 0;
    events.on('progress', () => {
      activity++;
    });
    const meterS3 = s3For(METER_APP_ID);
    const buckets = stack
      .resources('aws_s3_bucket')
      .map((bucket) => stack.attribute(bucket.address, 'bucket') as string)
      .map((name) => ({ name, versioned: versioned.has(name) }));
    const usage: LocalUsage = {
      meter,
      snapshot: () => meter.snapshot(),
      storedBytes: () => storedBytes(meterS3, buckets),
    };
    if (options.schedules !== 'manual') bridge.startSchedules();
    stops.push(async () => bridge.stopSchedules());

    return {
      stack,
      region,
      credentials: LOCAL_CREDENTIALS,
      endpoints,
      names,
      transcoder: mediaconvertEndpoint ? 'mediaconvert' : 'elastic-transcoder',
      clients: { s3: s3.client, dynamodb: dynamo.client },
      deadLetters: runner.deadLetters,
      queues: sqs.messages,
      bytesServed: s3.bytesServed,
      usage,
      events,
      dataDir,
      deliver: (targetArn, event, origin = 'direct') => deliver(targetArn, event, origin),
      invoke: (functionName, event) => runner.invoke(functionName, event),
      whenAnnounced: () => s3.whenAnnounced(),
      expireItems: (now) => dynamo.expireItems(now),
      faults: {
        inject: (fault) => faults.inject(fault),
        clear: () => faults.clear(),
        kill: (functionName) => runner.kill(functionName),
        history: faults.history,
      },
      runSchedule: (ruleName, runOptions = {}) => {
        bridge.runSchedule(ruleName, runOptions.time);
      },
      whenIdle,
      stop: stopAll,
      abort,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

function requireName(value: string | undefined, env: string): string {
  if (!value) {
    throw new Error(
      `No function in the stack has ${env} in its environment; the local cloud cannot tell which resource it is.`,
    );
  }
  return value;
}

function notificationConfigs(stack: SynthesizedStack, notification: StackResource): NotificationConfig[] {
  const config = stack.resolve(notification.config);
  const blocks: [string, 'lambda' | 'sns' | 'sqs', string][] = [
    ['lambda_function', 'lambda', 'lambda_function_arn'],
    ['topic', 'sns', 'topic_arn'],
    ['queue', 'sqs', 'queue_arn'],
  ];
  return blocks.flatMap(([block, kind, arnField]) =>
    asList(config[block]).map((entry, index) => ({
      id: typeof entry.id === 'string' ? entry.id : `${block}-${index}`,
      events: asList(entry.events) as unknown as string[],
      ...(typeof entry.filter_prefix === 'string' && { prefix: entry.filter_prefix }),
      ...(typeof entry.filter_suffix === 'string' && { suffix: entry.filter_suffix }),
      target: {
        kind,
        arn: stack.resolveString(entry[arnField], `${notification.address}.${block}.${arnField}`),
      },
    })),
  );
}
