import { EventEmitter } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, isAbsolute, join, resolve } from 'node:path';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { S3Client } from '@aws-sdk/client-s3';
import { ENV } from '#shared/config';
import { startDynamoDB, tableFromTerraform } from './emulators/dynamodb.ts';
import { startElasticTranscoder } from './emulators/elastic-transcoder.ts';
import { LocalEventBridge } from './emulators/eventbridge.ts';
import { LOCAL_CREDENTIALS, startS3 } from './emulators/s3.ts';
import type { NotificationConfig } from './emulators/s3-notifications.ts';
import { LocalSns } from './emulators/sns.ts';
import { type DeadLetter, type InvokeResult, LambdaRunner } from './lambda/runner.ts';
import { extractZip } from './lambda/unzip.ts';
import { FFMPEG_PATH, FFPROBE_PATH } from './media/ffmpeg.ts';
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
}

/** Endpoints of the running emulators, for SDK clients and the AWS CLI. */
export interface LocalEndpoints {
  readonly s3: string;
  readonly dynamodb: string;
  readonly elasticTranscoder?: string;
  readonly mediaconvert?: string;
}

/** A progress event of the local cloud (emitted on {@link LocalCloud.events} as `progress`). */
export type ProgressEvent =
  | { readonly kind: 's3'; readonly bucket: string; readonly key: string; readonly eventName: string }
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
  /** Messages delivered to SQS queues (on-failure destinations and queue subscriptions), by queue ARN. */
  readonly queues: ReadonlyMap<string, unknown[]>;
  /** Bytes served by S3 GETs per `bucket/key`. */
  readonly bytesServed: ReadonlyMap<string, number>;
  /** Emits `progress` ({@link ProgressEvent}), `delivery` ({ target, event, origin }) and `log` ({ functionName, line }). */
  readonly events: EventEmitter;
  readonly dataDir: string;
  /**
   * Delivers an event to a target ARN (function, topic or queue) the way S3, SNS and EventBridge
   * do: asynchronously, with the target's retry semantics. Tests use it to redeliver an event.
   */
  deliver(targetArn: string, event: unknown, origin?: string): void;
  /** Invokes a function synchronously, by name or ARN (what API Gateway does). */
  invoke(functionName: string, event: unknown): Promise<InvokeResult>;
  /** Resolves when nothing is queued or running anywhere: no invocation, no job, no pending notification. */
  whenIdle(): Promise<void>;
  stop(): Promise<void>;
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
  const queues = new Map<string, unknown[]>();
  const stops: (() => Promise<void>)[] = [];
  const idleChecks: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
    if (ownsDataDir) await rm(dataDir, { recursive: true, force: true });
  };

  try {
    await mkdir(join(dataDir, 'logs'), { recursive: true });
    const s3 = await startS3({ dataDir: join(dataDir, 's3'), region });
    stops.push(() => s3.stop());
    const dynamo = await startDynamoDB({ region });
    stops.push(() => dynamo.stop());
    const runner = new LambdaRunner({
      logDir: join(dataDir, 'logs'),
      retryDelayMs: options.retryDelayMs ?? 200,
    });
    stops.push(() => runner.stop());

    const sns = new LocalSns((arn, event, origin) => deliver(arn, event, origin), region);
    const bridge = new LocalEventBridge(
      (arn, event, origin) => deliver(arn, event, origin),
      region,
      LOCAL_ACCOUNT,
    );
    const deliver = (arn: string, event: unknown, origin: string): void => {
      events.emit('delivery', { target: arn, event, origin });
      if (arn.startsWith('arn:aws:lambda:')) runner.invokeAsync(arn, event, origin);
      else if (arn.startsWith('arn:aws:sns:'))
        sns.publish(arn, typeof event === 'string' ? event : JSON.stringify(event), {
          subject: 'Amazon S3 Notification',
        });
      else if (arn.startsWith('arn:aws:sqs:')) queues.set(arn, [...(queues.get(arn) ?? []), event]);
      else events.emit('error', new Error(`No local delivery for ${arn} (from ${origin}).`));
    };

    for (const bucket of stack.resources('aws_s3_bucket')) {
      await s3.createBucket(stack.attribute(bucket.address, 'bucket') as string);
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
        s3: { bucket: { name: string }; object: { key: string } };
      };
      events.emit('progress', {
        kind: 's3',
        bucket: record.s3.bucket.name,
        key: record.s3.object.key,
        eventName: record.eventName,
      });
      deliver(target.arn, event, `s3:${record.s3.bucket.name}`);
    });
    s3.notifications.on('error', (error) => events.emit('error', error));
    for (const notification of stack.resources('aws_s3_bucket_notification')) {
      s3.setNotifications(
        stack.resolveString(notification.config.bucket, `${notification.address}.bucket`),
        notificationConfigs(stack, notification),
      );
    }

    for (const table of stack.resources('aws_dynamodb_table')) {
      await dynamo.createTable(tableFromTerraform(stack.resolve(table.config)));
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
      if (typeof config.event_pattern !== 'string') continue;
      const name = stack.attribute(rule.address, 'name') as string;
      bridge.addRule({
        name,
        bus: typeof config.event_bus_name === 'string' ? config.event_bus_name : 'default',
        pattern: JSON.parse(config.event_pattern) as Json,
        targets: targets
          .filter((t) => t.rule === name)
          .map((t) => ({
            arn: String(t.arn),
            ...(typeof t.input === 'string' && { input: t.input }),
            ...(typeof t.input_path === 'string' && { inputPath: t.input_path }),
          })),
      });
    }

    let elasticTranscoderEndpoint: string | undefined;
    const pipelines = stack.resources('aws_elastictranscoder_pipeline');
    if (pipelines.length > 0) {
      const et = await startElasticTranscoder({
        s3: s3.client,
        publish: (topic, message, subject) => sns.publish(topic, message, { subject }),
        workDir: join(dataDir, 'elastic-transcoder'),
        region,
        account: LOCAL_ACCOUNT,
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
        s3Client: s3.client,
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
        onError: (error) => events.emit('error', error),
      });
      stops.push(() => mc.stop());
      mediaconvertEndpoint = mc.endpoint;
      idleChecks.push(() => mc.idle());
    }

    const endpoints: LocalEndpoints = {
      s3: s3.endpoint,
      dynamodb: dynamo.endpoint,
      ...(elasticTranscoderEndpoint && { elasticTranscoder: elasticTranscoderEndpoint }),
      ...(mediaconvertEndpoint && { mediaconvert: mediaconvertEndpoint }),
    };
    await registerFunctions(stack, runner, { dataDir, endpoints, region });
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
      if (letter.destination) deliver(letter.destination, letter, `lambda:${letter.functionName}`);
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

    return {
      stack,
      region,
      credentials: LOCAL_CREDENTIALS,
      endpoints,
      names,
      transcoder: mediaconvertEndpoint ? 'mediaconvert' : 'elastic-transcoder',
      clients: { s3: s3.client, dynamodb: dynamo.client },
      deadLetters: runner.deadLetters,
      queues,
      bytesServed: s3.bytesServed,
      events,
      dataDir,
      deliver: (targetArn, event, origin = 'direct') => deliver(targetArn, event, origin),
      invoke: (functionName, event) => runner.invoke(functionName, event),
      whenIdle,
      stop: stopAll,
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

/** The deployment package of a function or layer: its zip, relative to the stack directory. */
function packagePath(stack: SynthesizedStack, resource: StackResource): string {
  const filename = stack.resolveString(resource.config.filename, `${resource.address}.filename`);
  return isAbsolute(filename) ? filename : resolve(stack.directory, filename);
}

async function registerFunctions(
  stack: SynthesizedStack,
  runner: LambdaRunner,
  context: { dataDir: string; endpoints: LocalEndpoints; region: string },
): Promise<void> {
  const invokeConfigs = stack
    .resources('aws_lambda_function_event_invoke_config')
    .map((c) => stack.resolve(c.config));
  const layerDirs = new Map<string, string>();
  for (const layer of stack.resources('aws_lambda_layer_version')) {
    const dir = join(context.dataDir, 'layers', layer.name);
    await extractZip(await readFile(packagePath(stack, layer)), dir);
    layerDirs.set(stack.attribute(layer.address, 'arn') as string, dir);
  }

  for (const fn of stack.resources('aws_lambda_function')) {
    const config = stack.resolve(fn.config);
    const name = stack.attribute(fn.address, 'function_name') as string;
    const arn = stack.attribute(fn.address, 'arn') as string;
    const taskRoot = join(context.dataDir, 'functions', name);
    await extractZip(await readFile(packagePath(stack, fn)), taskRoot);
    const [file = 'index', exportName = 'handler'] = String(config.handler ?? 'index.handler').split(
      /\.(?=[^.]+$)/,
    );
    const modulePath = ['.mjs', '.js', '.cjs']
      .map((ext) => join(taskRoot, `${file}${ext}`))
      .find((p) => existsSync(p));
    if (!modulePath)
      throw new Error(
        `${fn.address}: the package has no ${file}.mjs/.js for handler ${String(config.handler)}.`,
      );

    // Lambda unpacks layers into /opt; the local layers live under the data dir instead.
    const layers = (asList(config.layers) as unknown as string[])
      .map((l) => layerDirs.get(l))
      .filter((d): d is string => !!d);
    const declared = (asList(config.environment)[0]?.variables ?? {}) as Record<string, unknown>;
    const env: Record<string, string> = {};
    for (const [key, value] of Object.entries(declared)) {
      const text = stack.resolveString(value, `${fn.address} environment variable ${key}`);
      env[key] = text.startsWith('/opt/') ? localOptPath(text, layers) : text;
    }
    const invokeConfig = invokeConfigs.find((c) => c.function_name === name || c.function_name === arn);
    const onFailure = asList(asList(invokeConfig?.destination_config)[0]?.on_failure)[0]?.destination;
    runner.register({
      name,
      arn,
      modulePath,
      exportName,
      timeoutMs: Number(config.timeout ?? 3) * 1000,
      maxRetries:
        invokeConfig?.maximum_retry_attempts !== undefined ? Number(invokeConfig.maximum_retry_attempts) : 2,
      ...(typeof onFailure === 'string' && { onFailure }),
      maxConcurrency: Math.max(1, Math.min(3, Number(config.reserved_concurrent_executions ?? 3))),
      env: {
        ...env,
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        HOME: taskRoot,
        TZ: ':UTC',
        LAMBDA_TASK_ROOT: taskRoot,
        AWS_EXECUTION_ENV: `AWS_Lambda_${String(config.runtime ?? 'nodejs22.x')}`,
        AWS_LAMBDA_FUNCTION_NAME: name,
        AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(config.memory_size ?? 128),
        AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
        AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${name}`,
        AWS_REGION: context.region,
        AWS_DEFAULT_REGION: context.region,
        AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
        AWS_ENDPOINT_URL_S3: context.endpoints.s3,
        AWS_ENDPOINT_URL_DYNAMODB: context.endpoints.dynamodb,
        ...(context.endpoints.elasticTranscoder && {
          AWS_ENDPOINT_URL_ELASTIC_TRANSCODER: context.endpoints.elasticTranscoder,
        }),
        ...(context.endpoints.mediaconvert && {
          AWS_ENDPOINT_URL_MEDIACONVERT: context.endpoints.mediaconvert,
          ...(env[ENV.MEDIACONVERT_ENDPOINT] !== undefined && {
            [ENV.MEDIACONVERT_ENDPOINT]: context.endpoints.mediaconvert,
          }),
        }),
        [ENV.S3_FORCE_PATH_STYLE]: 'true',
      },
    });
  }
}

function localOptPath(path: string, layerDirs: readonly string[]): string {
  const relative = path.slice('/opt/'.length);
  const inLayer = layerDirs.map((dir) => join(dir, relative)).find((p) => existsSync(p));
  if (inLayer) return inLayer;
  // A layer built for another architecture may not run here; the packaged binaries do.
  if (basename(path) === 'ffprobe') return FFPROBE_PATH;
  if (basename(path) === 'ffmpeg') return FFMPEG_PATH;
  return path;
}
