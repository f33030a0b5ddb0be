import { EventEmitter } from 'node:events';
import { rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LocalCloud, LocalCloudOptions } from '#local/cloud-types.ts';
import { type Emulator, FaultRegistry, faultyDelivery, LOCAL_CREDENTIALS } from '#local/emulators/common';
import { dynamodbFromStack, startDynamoDB } from '#local/emulators/dynamodb';
import { eventBridgeFromStack, startEventBridge } from '#local/emulators/eventbridge';
import { lambdaFromStack, startLambda } from '#local/emulators/lambda';
import { s3FromStack, startS3 } from '#local/emulators/s3';
import { snsFromStack, startSns } from '#local/emulators/sns';
import { sqsFromStack, startSqs } from '#local/emulators/sqs';
import { killMediaProcesses } from '#local/media';
import { pipelineNames } from '#local/pipeline-names.ts';
import { reportProgress } from '#local/progress.ts';
import { LOCAL_ACCOUNT, SynthesizedStack } from '#local/synthesized-stack';
import { startTranscoders, transcoderEndpoints } from '#local/transcoders.ts';
import { startUsage } from '#local/usage';
import { ENV } from '#shared/config';

export type {
  LocalCloud,
  LocalCloudOptions,
  LocalEndpoints,
  LocalFaults,
  ProgressEvent,
} from '#local/cloud-types.ts';

/** The default synthesized stack of the local cloud. */
export const DEFAULT_STACK_FILE = 'cdktf.out/stacks/local/cdk.tf.json';

/**
 * Starts every emulator on 127.0.0.1, each with the resources its own `fromStack` reads from the
 * synthesized stack, and routes events between them. Nothing is wired that the stack does not declare.
 */
export async function startLocalCloud(options: LocalCloudOptions = {}): Promise<LocalCloud> {
  const stack = options.stack ?? SynthesizedStack.fromFile(options.stackFile ?? DEFAULT_STACK_FILE);
  const ownsDataDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), '24hv-local-')));
  const events = new EventEmitter();
  const warn = (error: unknown) => events.emit('warning', error);
  const faults = new FaultRegistry(options.faults);
  faults.on('fired', (fired) => events.emit('fault', fired));
  const usage = startUsage({ region: stack.region, credentials: LOCAL_CREDENTIALS });
  const base = { region: stack.region, account: LOCAL_ACCOUNT, faults, usage: usage.meter };
  const emulators: Emulator[] = [];
  const own = <T extends Emulator>(emulator: T): T => {
    emulators.push(emulator);
    return emulator;
  };
  const stop = async () => {
    for (const emulator of emulators.splice(0).reverse()) await emulator.stop().catch(() => undefined);
    if (ownsDataDir) await rm(dataDir, { recursive: true, force: true });
  };
  try {
    const s3 = own(await startS3({ ...base, dataDir: join(dataDir, 's3'), ...s3FromStack(stack) }));
    own(usage).connect(s3.endpoint, s3FromStack(stack));
    const dynamodb = own(await startDynamoDB({ ...base, ...dynamodbFromStack(stack) }));
    const { deliver } = own(faultyDelivery(faults, (arn, event, origin) => route(arn, event, origin)));
    const functions = { ...lambdaFromStack(stack), retryDelayMs: options.retryDelayMs ?? 200 };
    const lambda = own(await startLambda({ ...base, dataDir, deliver, ...functions }));
    const sqs = own(await startSqs({ ...base, ...sqsFromStack(stack) }));
    const sns = own(startSns({ ...base, deliver, ...snsFromStack(stack) }));
    const bridge = own(startEventBridge({ ...base, deliver, ...eventBridgeFromStack(stack) }));
    const transcoders = await startTranscoders(stack, { ...base, s3: usage, dataDir, sns, bridge, warn });
    emulators.push(...transcoders);
    const endpoints = {
      s3: s3.endpoint,
      dynamodb: dynamodb.endpoint,
      lambda: lambda.endpoint,
      sqs: sqs.endpoint,
      ...transcoderEndpoints(transcoders),
    };
    const overrides = options.renditionLadder && { [ENV.RENDITION_LADDER]: options.renditionLadder };
    await lambda.deploy(endpoints, overrides);
    reportProgress(events, { s3, lambda, transcoders });
    s3.notifications.on('error', warn);
    s3.notifications.on('notification', ({ target, event }) =>
      deliver(target.arn, event, `s3:${event.Records[0]?.s3.bucket.name}`),
    );
    // The default bus routes it to whatever rules the stack declares, as S3's EventBridge delivery does.
    s3.notifications.on('eventbridge', (entry) => bridge.putEvent(entry));
    // A target the stack names but does not declare loses the event, as AWS would; say so.
    function route(arn: string, event: unknown, origin: string): void {
      const text = () => (typeof event === 'string' ? event : JSON.stringify(event));
      try {
        events.emit('delivery', { target: arn, event, origin });
        if (arn.startsWith('arn:aws:lambda:')) lambda.invokeAsync(arn, event, origin);
        else if (arn.startsWith('arn:aws:sns:'))
          sns.publish(arn, text(), { subject: 'Amazon S3 Notification' });
        else if (arn.startsWith('arn:aws:sqs:')) sqs.send(arn, text());
        else throw new Error(`No local delivery for ${arn}.`);
      } catch (error) {
        const reason = (error as Error).message;
        warn(new Error(`Event from ${origin} to ${arn} was not delivered: ${reason}`, { cause: error }));
      }
    }
    // The idle loop: work hops between emulators (a job ends → SNS → a function → S3 → ...); settle until a full pass is quiet.
    let activity = 0;
    events.on('progress', () => activity++);
    const whenIdle = async (): Promise<void> => {
      for (let quiet = 0; quiet < 3; ) {
        const before = activity;
        for (const emulator of emulators) await emulator.whenIdle();
        await new Promise((resolve) => setTimeout(resolve, 50));
        quiet = activity === before ? quiet + 1 : 0;
      }
    };
    if (options.schedules !== 'manual') bridge.startSchedules();

    return {
      stack,
      region: stack.region,
      credentials: LOCAL_CREDENTIALS,
      endpoints,
      names: pipelineNames(stack),
      transcoder: endpoints.mediaconvert ? 'mediaconvert' : 'elastic-transcoder',
      clients: { s3: s3.client, dynamodb: dynamodb.client },
      deadLetters: lambda.deadLetters,
      queues: sqs.messages,
      bytesServed: s3.bytesServed,
      usage,
      events,
      dataDir,
      deliver: (targetArn, event, origin = 'direct') => deliver(targetArn, event, origin),
      invoke: (functionName, event) => lambda.invoke(functionName, event),
      whenAnnounced: () => s3.whenAnnounced(),
      expireItems: (now) => dynamodb.expireItems(now),
      faults: {
        inject: (f) => faults.inject(f),
        clear: () => faults.clear(),
        kill: (fn) => lambda.kill(fn),
        history: faults.history,
      },
      runSchedule: (ruleName, runOptions = {}) => bridge.runSchedule(ruleName, runOptions.time),
      whenIdle,
      stop,
      abort: () => {
        lambda.abort();
        killMediaProcesses();
        if (ownsDataDir) rmSync(dataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
