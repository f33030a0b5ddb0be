import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { type LocalCloud, type ProgressEvent, startLocalCloud } from '#local/cloud';
import { uploadFile, waitForTerminal } from '#local/follow';
import { generateClip } from '#local/media';
import { prepareLocalStack } from '#local/prepare';
import { CLOUD_STATE_FILE, cloudStateOf, writeCloudState } from '#local/state/index.ts';
import { REPO_ROOT } from '#tools/repo-root.ts';

const run = promisify(execFile);

/** `npm run redrive -- <args>`, as a person would type it; resolves to its exit code and output. */
async function redrive(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; output: string }> {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('AWS_')));
  try {
    const { stdout, stderr } = await run('npm', ['run', '--silent', 'redrive', '--', ...args], {
      cwd: REPO_ROOT,
      env: { ...clean, ...env },
    });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, output: `${failed.stdout ?? ''}${failed.stderr ?? ''}` };
  }
}

describe('npm run redrive (end to end)', function () {
  this.timeout(600_000);
  let cloud: LocalCloud;
  let clip: string;
  let savedState: string | undefined;
  const transcodeVideo = '24hv-local-transcode-video';

  before(async () => {
    cloud = await startLocalCloud({ stackFile: await prepareLocalStack('mediaconvert'), retryDelayMs: 20 });
    clip = join(cloud.dataDir, 'redrive.mp4');
    await generateClip(clip, { seconds: 1, width: 320, height: 240, audio: true });
    if (existsSync(CLOUD_STATE_FILE)) {
      savedState = `${CLOUD_STATE_FILE}.saved-${process.pid}`;
      await copyFile(CLOUD_STATE_FILE, savedState);
    }
  });

  after(async function () {
    this.timeout(60_000);
    await cloud?.stop();
    await rm(CLOUD_STATE_FILE, { force: true });
    if (savedState) await rename(savedState, CLOUD_STATE_FILE);
  });

  const queueArn = () => {
    const arn = [...cloud.queues.keys()].find((key) => key.endsWith(':24hv-local-transcode-video-dlq'));
    if (!arn) throw new Error('the stack has no dead-letter queue for transcode-video');
    return arn;
  };

  /** Two uploads that transcode-video fails on every attempt: its bundle cannot be loaded meanwhile. */
  async function deadLetterTwoUploads(): Promise<string[]> {
    const bundle = join(cloud.dataDir, 'functions', transcodeVideo, 'index.mjs');
    await rename(bundle, `${bundle}.away`);
    const letters: ProgressEvent[] = [];
    const onProgress = (event: ProgressEvent) => {
      if (event.kind === 'dead-letter') letters.push(event);
    };
    cloud.events.on('progress', onProgress);
    try {
      const first = await uploadFile(cloud, clip, 'redrive/first.mp4');
      const second = await uploadFile(cloud, clip, 'redrive/second.mp4');
      await cloud.whenIdle();
      expect(letters, 'both events dead-lettered').to.have.length(2);
      return [first.videoId, second.videoId];
    } finally {
      cloud.events.off('progress', onProgress);
      await rename(`${bundle}.away`, bundle);
    }
  }

  it('puts Lambda’s on-failure record in the queue, then sends each event again until its video is READY', async () => {
    const videos = await deadLetterTwoUploads();
    const records = cloud.queues.get(queueArn()) as {
      requestContext: { functionArn: string; condition: string; approximateInvokeCount: number };
      requestPayload: { Records: { s3: { object: { key: string } } }[] };
      responseContext: { functionError: string };
    }[];
    expect(records).to.have.length(2);
    expect(records[0]?.requestContext).to.deep.include({
      functionArn: `arn:aws:lambda:us-east-1:000000000000:function:${transcodeVideo}:$LATEST`,
      condition: 'RetriesExhausted',
      approximateInvokeCount: 3,
    });
    expect(records.map((r) => r.requestPayload.Records[0]?.s3.object.key)).to.have.members([
      'redrive/first.mp4',
      'redrive/second.mp4',
    ]);
    expect(records[0]?.responseContext.functionError).to.equal('Unhandled');

    // As against AWS: the SDK's own settings name the endpoints.
    const byEnvironment = await redrive(['24hv-local-transcode-video', '--max', '1'], {
      AWS_ENDPOINT_URL_LAMBDA: cloud.endpoints.lambda,
      AWS_ENDPOINT_URL_SQS: cloud.endpoints.sqs,
      AWS_ACCESS_KEY_ID: cloud.credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: cloud.credentials.secretAccessKey,
      AWS_REGION: cloud.region,
    });
    expect(byEnvironment.code, byEnvironment.output).to.equal(0);
    expect(byEnvironment.output).to.match(/1 redriven/);
    expect(cloud.queues.get(queueArn())).to.have.length(1);

    // As in a second terminal beside npm start: no AWS settings, the state file names the cloud.
    writeCloudState(cloudStateOf(cloud));
    const byStateFile = await redrive(['transcode-video'], {});
    expect(byStateFile.code, byStateFile.output).to.equal(0);
    expect(byStateFile.output).to.match(/1 redriven/);

    const ended = await Promise.all(videos.map((id) => waitForTerminal(cloud, id, { timeoutMs: 300_000 })));
    expect(ended.map((video) => video.status)).to.deep.equal(['READY', 'READY']);
    expect(cloud.queues.get(queueArn())).to.deep.equal([]);
    const again = await redrive(['transcode-video'], {});
    expect(again.output).to.match(/Nothing to redrive/);
  });

  it('says what to do when no local cloud runs and no AWS settings are given', async () => {
    await rm(CLOUD_STATE_FILE, { force: true });

    const result = await redrive(['transcode-video'], {});

    expect(result.code).to.equal(2);
    expect(result.output).to.match(/No local cloud is running .*npm start.*--aws/);
  });

  it('names the functions it has when the name matches none', async () => {
    writeCloudState({ ...cloudStateOf(cloud), functions: [transcodeVideo] });

    const result = await redrive(['no-such-function'], {});

    expect(result.code).to.equal(2);
    expect(result.output).to.contain(`has no single function "no-such-function"; it has ${transcodeVideo}`);
    expect(JSON.parse(await readFile(CLOUD_STATE_FILE, 'utf8')).pid).to.equal(process.pid);
  });
});
