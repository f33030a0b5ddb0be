/**
 * Starts the local cloud, its API, the local OpenID provider and the web app, and keeps them
 * running until Ctrl-C:
 *
 *   npm start [-- <video file>] [--transcoder elastic-transcoder|mediaconvert]
 *
 * It builds what is stale (function bundles, the local stack, the web app), prints the URL to open,
 * the endpoints and how to use them with the AWS CLI and curl, uploads the given video (or a
 * generated 10-second 720p sample with audio) and shows the pipeline advancing. Every later
 * upload to the upload bucket, from the app, the AWS CLI or anything else, is followed the same way.
 *
 * Ctrl-C stops it within seconds: running transcoder jobs are cancelled, Lambda containers killed and
 * the data directory removed. A second Ctrl-C ends it at once, and also leaves no files behind.
 */
import { join } from 'node:path';
import { type LocalApp, startLocalApp } from '#local/app';
import type { ProgressEvent } from '#local/cloud';
import { localApiInstructions } from '#local/emulators/apigateway';
import { uploadFile, waitForTerminal } from '#local/follow';
import { generateClip } from '#local/media';
import { DEFAULT_LOCAL_BACKEND } from '#local/prepare';
import { cloudStateOf, removeCloudState, writeCloudState } from '#local/state';
import { decodeS3Key } from '#shared/events';
import { videoIdForUpload } from '#shared/video';
import { parseStartArgs, UsageError } from './args.ts';

async function main(): Promise<void> {
  // The local cloud emulates nodejs22.x on whatever Node runs it; the SDK's upgrade notice is noise here.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const { file: given, backend } = parseStartArgs(process.argv.slice(2), DEFAULT_LOCAL_BACKEND);

  const app = await startLocalApp({ backend, log: (line) => console.log(line) });
  writeCloudState(cloudStateOf(app.cloud));
  // Whatever ends the process (a crash included), the cloud's data directory goes with it.
  process.on('exit', () => {
    removeCloudState(process.pid);
    app.abort();
  });
  let stopping: Promise<void> | undefined;
  let firstSignalAt = 0;
  const stop = () => {
    stopping ??= app.stop();
    return stopping;
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (!stopping) {
        firstSignalAt = Date.now();
        console.log('\nStopping the local cloud… (Ctrl-C again to stop at once)');
        void stop().finally(() => process.exit(0));
        // A stop that hangs must not keep the terminal: end it the hard way.
        setTimeout(() => process.exit(1), STOP_DEADLINE_MS).unref();
        return;
      }
      // One Ctrl-C can arrive more than once (the terminal signals the process group, npm forwards it).
      if (Date.now() - firstSignalAt < SAME_KEYPRESS_MS) return;
      console.log('Stopping at once.');
      process.exit(130);
    });
  }
  try {
    await run(app, given, () => stopping !== undefined);
  } catch (error) {
    // Anything failing once the servers are up (the sample, the upload) must not leave the cloud's
    // temp directory behind.
    await stop();
    throw error;
  }
}

/** Signals this close to the first one are the same Ctrl-C, delivered twice. */
const SAME_KEYPRESS_MS = 500;
/** How long a stop may take before the process ends anyway (its `exit` handler still cleans up). */
const STOP_DEADLINE_MS = 15_000;

async function run(
  { cloud, api, identity, urls }: LocalApp,
  given: string | undefined,
  isStopping: () => boolean,
): Promise<void> {
  cloud.events.on('warning', (error: Error) => console.error(`warning: ${error.message}`));
  const { s3, dynamodb } = cloud.endpoints;
  const env = `AWS_ACCESS_KEY_ID=${cloud.credentials.accessKeyId} AWS_SECRET_ACCESS_KEY=${cloud.credentials.secretAccessKey} AWS_DEFAULT_REGION=${cloud.region}`;
  console.log(`
24-Hour Video — local cloud (${cloud.transcoder})
  S3         ${s3}   buckets: ${cloud.names.uploadBucket} (uploads), ${cloud.names.transcodedBucket} (renditions)
  DynamoDB   ${dynamodb}   table: ${cloud.names.videoTable}
  Lambda     ${cloud.endpoints.lambda}   SQS ${cloud.endpoints.sqs} (dead-letter queues; npm run redrive -- <function>)${cloud.endpoints.elasticTranscoder ? `\n  Elastic Transcoder ${cloud.endpoints.elasticTranscoder}` : ''}${cloud.endpoints.mediaconvert ? `\n  MediaConvert ${cloud.endpoints.mediaconvert}` : ''}
  Data       ${cloud.dataDir} (removed on exit)

With the AWS CLI:
  export ${env}
  aws --endpoint-url ${s3} s3 cp clip.mp4 s3://${cloud.names.uploadBucket}/
  aws --endpoint-url ${dynamodb} dynamodb scan --table-name ${cloud.names.videoTable}
  aws --endpoint-url ${s3} s3 ls s3://${cloud.names.transcodedBucket}/videos/ --recursive
`);
  console.log(await localApiInstructions(api));
  console.log(`OpenID provider ${urls.issuer}   (client ${identity.clientId}; the app's sign-in page)

  ┌──────────────────────────────────────────────────────────┐
  │  Open ${urls.web.padEnd(51)}│
  │  and sign in with any user name, e.g. dev (no password)  │
  └──────────────────────────────────────────────────────────┘
`);

  const following = new Set<string>();
  const follow = (videoId: string, label: string) => {
    if (following.has(videoId)) return;
    following.add(videoId);
    waitForTerminal(cloud, videoId, {
      timeoutMs: 30 * 60 * 1000,
      onProgress: ({ stage, text }) => console.log(`[${label}] ${stage.padEnd(10)} ${text}`),
    }).then(
      (video) => console.log(`[${label}] done: ${video.status}${video.reason ? ` (${video.reason})` : ''}`),
      (error: unknown) => {
        // Following stops with the cloud; that is no news.
        if (!isStopping()) console.error(`[${label}]`, error instanceof Error ? error.message : error);
      },
    );
  };
  cloud.events.on('progress', (event: ProgressEvent) => {
    if (event.kind === 's3' && event.bucket === cloud.names.uploadBucket) {
      const key = decodeS3Key(event.key);
      follow(videoIdForUpload({ bucket: event.bucket, key, versionId: event.versionId }), key);
    }
    if (event.kind === 'dead-letter') {
      console.error(
        `dead letter: ${event.letter.functionName} — ${event.letter.error.errorMessage} (npm run redrive -- ${event.letter.functionName} sends it again)`,
      );
    }
  });

  let file = given;
  if (!file) {
    file = join(cloud.dataDir, 'sample-720p.mp4');
    console.log('No video given: generating a 10 s 720p sample with audio…');
    await generateClip(file, { seconds: 10, width: 1280, height: 720, audio: true });
  }
  const upload = await uploadFile(cloud, file);
  console.log(`Uploaded s3://${cloud.names.uploadBucket}/${upload.key} → video ${upload.videoId}`);
  follow(upload.videoId, upload.key);
  console.log(
    `Running. Open ${urls.web}, or upload more with the AWS CLI as above; Ctrl-C stops everything.`,
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof UsageError ? error.message : error);
  process.exit(1);
});
