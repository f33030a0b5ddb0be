/**
 * One upload through the local pipeline, start to finish:
 *
 *   npm run pipeline -- <file> [--transcoder elastic-transcoder|mediaconvert] [--full-ladder] [--json] [--timeout <seconds>]
 *
 * Exit code 0 when the video is READY, 2 when FAILED or REJECTED (reason printed), 1 on any other error.
 * Everything it creates lives in a temp directory that is removed before it exits.
 */
import { type LocalCloud, startLocalCloud } from '../cloud.ts';
import { DEFAULT_LOCAL_BACKEND, prepareLocalStack } from '../prepare.ts';
import { summarize, uploadFile, waitForTerminal } from '../watch.ts';
import { PIPELINE_USAGE, parsePipelineArgs, UsageError } from './args.ts';

async function main(): Promise<number> {
  // The local cloud emulates nodejs22.x on whatever Node runs it; the SDK's upgrade notice is noise here.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const args = parsePipelineArgs(process.argv.slice(2), DEFAULT_LOCAL_BACKEND);
  if (args.help) {
    console.log(PIPELINE_USAGE);
    return 0;
  }
  const { file, backend, timeoutMs } = args;

  // With --json, stdout carries only the item; people read progress on stderr.
  const say = args.json
    ? (text: string) => process.stderr.write(`${text}\n`)
    : (text: string) => console.log(text);
  const stackFile = await prepareLocalStack(backend, say);
  const started = Date.now();
  const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1).padStart(6)} s`;
  let cloud: LocalCloud | undefined;
  let interrupted = false;
  // Interrupted, even while the cloud is still starting: leave nothing behind (the temp directory
  // goes with stop()). Registered before the start, or Ctrl-C then would leak its servers' data.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      interrupted = true;
      if (cloud) void cloud.stop().finally(() => process.exit(130));
    });
  }
  try {
    cloud = await startLocalCloud({ stackFile, ...(args.fullLadder && { renditionLadder: 'full' }) });
    if (interrupted) return 130;
    cloud.events.on('warning', (error: Error) => say(`warning: ${error.message}`));
    say(
      `${elapsed()}  local cloud up (${cloud.transcoder}); S3 ${cloud.endpoints.s3}, DynamoDB ${cloud.endpoints.dynamodb}`,
    );
    const pickup = watchPickup(cloud);
    const upload = await uploadFile(cloud, file);
    say(
      `${elapsed()}  uploaded   s3://${cloud.names.uploadBucket}/${upload.key} (${upload.size} bytes) → video ${upload.videoId}`,
    );
    if (!(await pickup.pickedUp())) {
      // Not a verdict on the file: the stack itself is wired so that this upload reaches no function.
      say(
        `${elapsed()}  NOT PICKED UP: "${upload.key}" was stored, but neither the upload bucket's notification nor an EventBridge rule of ${stackFile} sent it anywhere, so it will never be processed. Check aws_s3_bucket_notification (lambda_function filters, eventbridge) and aws_cloudwatch_event_rule in the stack.`,
      );
      return 1;
    }
    const video = await waitForTerminal(cloud, upload.videoId, {
      timeoutMs,
      onProgress: ({ stage, text }) => say(`${elapsed()}  ${stage.padEnd(10)} ${text}`),
    });
    await cloud.whenIdle();
    for (const letter of cloud.deadLetters) {
      say(
        `dead letter: ${letter.functionName} failed ${letter.attempts}× — ${letter.error.errorType}: ${letter.error.errorMessage}`,
      );
    }
    if (args.json) console.log(JSON.stringify(summarize(video), null, 2));
    if (video.status === 'READY') {
      say(`${elapsed()}  READY: ${video.outputs.map((o) => o.key).join(', ')}`);
      return 0;
    }
    say(`${elapsed()}  ${video.status}: ${video.reason ?? 'no reason recorded'}`);
    return 2;
  } finally {
    await cloud?.stop();
  }
}

/**
 * Watches for the upload's S3 event being delivered anywhere, by a bucket notification or by an
 * EventBridge rule matching S3's "Object Created" event. `pickedUp()` resolves once every write has
 * been announced: true when an event from the upload bucket went to some target.
 */
function watchPickup(cloud: LocalCloud): { pickedUp(): Promise<boolean> } {
  let delivered = false;
  const bucket = cloud.names.uploadBucket;
  const onDelivery = ({ origin, event }: { origin: string; event: unknown }) => {
    const s3Event = event as { source?: unknown; detail?: { bucket?: { name?: unknown } } } | undefined;
    const fromBucketViaRule =
      origin.startsWith('rule/') && s3Event?.source === 'aws.s3' && s3Event.detail?.bucket?.name === bucket;
    if (origin === `s3:${bucket}` || fromBucketViaRule) delivered = true;
  };
  cloud.events.on('delivery', onDelivery);
  return {
    async pickedUp() {
      await cloud.whenAnnounced();
      cloud.events.off('delivery', onDelivery);
      return delivered;
    },
  };
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof UsageError ? error.message : error);
    process.exit(1);
  },
);
