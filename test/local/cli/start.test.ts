import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { expect } from 'chai';
import { LOCAL_CREDENTIALS } from '#local/emulators/common';
import { generateClip } from '#local/media';
import {
  processesLeftUsing,
  processesUsing,
  type SpawnedCommand,
  spawnCommand,
} from '#test/support/local-process.ts';
import { REPO_ROOT } from '#tools/repo-root.ts';

/** Generous: the stop itself takes a second or two; a loaded 2-core machine slows everything down. */
const STOP_BOUND_SECONDS = 20;

describe('npm start: Ctrl-C (end to end)', function () {
  this.timeout(600_000);
  let dir: string;
  let clip: string;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'start-stop-'));
    clip = join(dir, 'long clip.mp4');
    // Long enough that transcoding three of them takes far longer than a stop may.
    await generateClip(clip, { seconds: 20, width: 1280, height: 720, audio: true });
  });

  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  /** `npm start -- <clip>` with two more uploads queued behind it, once its first job runs. */
  async function startWithJobsRunning(): Promise<{ app: SpawnedCommand; dataDir: string }> {
    const app = spawnCommand('npm', ['start', '--', clip], {
      cwd: REPO_ROOT,
      env: { LOCAL_WEB_PORT: '0', VIDEO_TRANSCODER: 'mediaconvert' },
    });
    try {
      const [, dataDir = ''] = await app.waitFor(/Data\s+(\S+) \(removed on exit\)/, 300_000);
      const [, endpoint, bucket] = await app.waitFor(
        /S3\s+(http:\/\/127\.0\.0\.1:\d+)\s+buckets: (\S+) \(uploads\)/,
        5_000,
      );
      const s3 = new S3Client({
        endpoint,
        region: 'us-east-1',
        credentials: LOCAL_CREDENTIALS,
        forcePathStyle: true,
      });
      const body = await readFile(clip);
      for (const key of ['queued 1.mp4', 'queued 2.mp4']) {
        await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
      }
      s3.destroy();
      await app.waitFor(/transcoding\s+mediaconvert job \S+: \d+%/, 240_000);
      expect(processesUsing(dataDir), 'an ffmpeg and Lambda containers run from the data directory').to.not.be
        .empty;
      return { app, dataDir };
    } catch (error) {
      app.signalGroup('SIGKILL');
      throw error;
    }
  }

  it('stops within seconds on one Ctrl-C while jobs run and are queued, and leaves no file and no process', async () => {
    const { app, dataDir } = await startWithJobsRunning();

    const signalled = Date.now();
    app.signalGroup('SIGINT');
    const code = await app.exited;
    const seconds = (Date.now() - signalled) / 1000;

    // npm passes a Ctrl-C on and then ends by it itself; the cloud under it exits 0.
    expect(code).to.be.oneOf([0, 'SIGINT']);
    expect(seconds, app.output().slice(-2000)).to.be.below(STOP_BOUND_SECONDS);
    expect(app.output()).to.contain('Stopping the local cloud');
    expect(app.output().slice(app.output().indexOf('Stopping'))).to.not.match(/done: READY/);
    expect(existsSync(dataDir), `${dataDir} is left behind`).to.equal(false);
    expect(await processesLeftUsing(dataDir)).to.deep.equal([]);
  });

  it('ends at once on a second Ctrl-C and leaves no file and no process either', async () => {
    const { app, dataDir } = await startWithJobsRunning();

    app.signalGroup('SIGINT');
    await new Promise((resolve) => setTimeout(resolve, 700));
    app.signalGroup('SIGINT');
    await app.exited;

    expect(existsSync(dataDir), `${dataDir} is left behind`).to.equal(false);
    expect(await processesLeftUsing(dataDir)).to.deep.equal([]);
  });
});
