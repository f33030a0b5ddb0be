import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import {
  type CloudState,
  localFunctionName,
  readCloudState,
  removeCloudState,
  writeCloudState,
} from '#local/state/index.ts';

const state = (pid: number): CloudState => ({
  pid,
  startedAt: '2026-11-24T12:00:00.000Z',
  region: 'us-east-1',
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  endpoints: {
    s3: 'http://127.0.0.1:1',
    dynamodb: 'http://127.0.0.1:2',
    lambda: 'http://127.0.0.1:3',
    sqs: 'http://127.0.0.1:4',
  },
  functions: ['24hv-local-transcode-video', '24hv-local-transcode-status', '24hv-local-video'],
});

describe('local cloud state file', () => {
  let dir: string;
  let file: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cloud-state-'));
    file = join(dir, '.local-cloud', 'cloud.json');
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads back what a running process wrote, and removes it only for that process', () => {
    writeCloudState(state(process.pid), file);

    const read = readCloudState(file);
    removeCloudState(process.pid + 1, file);
    const stillThere = readCloudState(file);
    removeCloudState(process.pid, file);

    expect(read).to.deep.equal(state(process.pid));
    expect(stillThere).to.deep.equal(state(process.pid));
    expect(readCloudState(file)).to.equal(undefined);
  });

  it('ignores a file left by a process that has ended, and one that is not JSON', async () => {
    const ended = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
      encoding: 'utf8',
    });
    writeCloudState(state(Number(ended.stdout)), file);
    const stale = readCloudState(file);
    await writeFile(file, '{ half');

    expect(stale).to.equal(undefined);
    expect(readCloudState(file)).to.equal(undefined);
  });

  it('finds a function by its physical name, short name or ARN, and only when one matches', () => {
    const running = state(process.pid);

    expect(localFunctionName(running, 'transcode-video')).to.equal('24hv-local-transcode-video');
    expect(localFunctionName(running, '24hv-local-transcode-status')).to.equal('24hv-local-transcode-status');
    expect(
      localFunctionName(running, 'arn:aws:lambda:us-east-1:000000000000:function:24hv-local-transcode-video'),
    ).to.equal('24hv-local-transcode-video');
    expect(localFunctionName(running, 'video')).to.equal('24hv-local-video');
    expect(localFunctionName(running, 'nothing')).to.equal(undefined);
  });
});
