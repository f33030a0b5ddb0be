/**
 * Benchmark of the local pipeline:
 *
 *   npm run bench:pipeline [-- --transcoder elastic-transcoder|mediaconvert] [--runs <n>]
 *
 * Prints the upload→READY time of a 10 s 720p sample with audio, the time ffmpeg alone takes for
 * the same three renditions (one process, as the Elastic Transcoder emulator runs them), their
 * ratio (target ≤ 1.25), and the bytes ffprobe read from S3 per rendition against its size
 * (target < 5 % for faststart outputs of 20 MB and more, checked on a 20+ MB faststart file too).
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { type LocalCloud, startLocalCloud } from '#local/cloud';
import { SYSTEM_PRESETS } from '#local/emulators/elastic-transcoder';
import { uploadFile, waitForTerminal } from '#local/follow';
import { FFPROBE_PATH, generateClip, multiRenditionArgs, runFfmpeg } from '#local/media';
import { prepareLocalStack } from '#local/prepare';
import { ffprobeArgs, presignGetUrl } from '#shared/media';
import { TRANSCODER_BACKENDS, type TranscoderBackend } from '#shared/transcoder';
import { ELASTIC_TRANSCODER_PRESETS } from '#shared/transcoder/elastic-transcoder/presets';
import { RENDITIONS } from '#shared/video';

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const pct = (part: number, whole: number) => `${((part / whole) * 100).toFixed(2)} %`;
const mb = (bytes: number) => `${(bytes / 1e6).toFixed(2)} MB`;

/** Bytes ffprobe reads from a URL with extract-metadata's arguments, as ffprobe's own I/O statistics report them. */
function ffprobeBytesRead(url: string): Promise<number> {
  const args = ffprobeArgs(url);
  args[args.indexOf('-v') + 1] = 'verbose';
  return new Promise((resolve, reject) => {
    const child = spawn(FFPROBE_PATH, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', () => {
      // libavformat logs "Statistics: N bytes read, M seeks" for every I/O context it closes.
      const reads = [...stderr.matchAll(/Statistics: (\d+) bytes read/g)].map((m) => Number(m[1]));
      if (reads.length === 0) reject(new Error(`ffprobe printed no I/O statistics:\n${stderr.slice(-2000)}`));
      else resolve(reads.reduce((a, b) => a + b, 0));
    });
  });
}

async function ffmpegAlone(input: string, dir: string): Promise<number> {
  const outputs = RENDITIONS.map((rendition) => ({
    output: join(dir, `direct-${rendition}.mp4`),
    encoding: (SYSTEM_PRESETS[ELASTIC_TRANSCODER_PRESETS[rendition]] as (typeof SYSTEM_PRESETS)[string])
      .encoding,
  }));
  const started = performance.now();
  await runFfmpeg(multiRenditionArgs(input, outputs));
  return performance.now() - started;
}

async function endToEnd(
  cloud: LocalCloud,
  sample: string,
  dir: string,
): Promise<{ ms: number; videoId: string }> {
  const copy = join(dir, `bench ${randomUUID().slice(0, 8)}.mp4`);
  await runFfmpeg(['-v', 'error', '-y', '-i', sample, '-c', 'copy', '-movflags', '+faststart', copy]);
  const started = performance.now();
  const { videoId } = await uploadFile(cloud, copy);
  const video = await waitForTerminal(cloud, videoId, { timeoutMs: 600_000, pollMs: 50 });
  const ms = performance.now() - started;
  if (video.status !== 'READY') throw new Error(`The sample ended ${video.status}: ${video.reason ?? ''}`);
  return { ms, videoId };
}

async function main(): Promise<void> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const { values } = parseArgs({
    options: {
      transcoder: { type: 'string', default: 'elastic-transcoder' },
      runs: { type: 'string', default: '5' },
    },
  });
  const backend = values.transcoder as TranscoderBackend;
  if (!TRANSCODER_BACKENDS.includes(backend)) throw new Error(`Unknown transcoder "${backend}".`);
  const runs = Math.max(1, Number(values.runs));

  const stackFile = await prepareLocalStack(backend, (line) => console.log(line));
  const dir = await mkdtemp(join(tmpdir(), 'bench-pipeline-'));
  const cloud = await startLocalCloud({ stackFile });
  try {
    const sample = join(dir, 'sample-720p.mp4');
    await generateClip(sample, { seconds: 10, width: 1280, height: 720, audio: true });
    console.log(
      `sample: 10 s 1280×720 H.264/AAC, ${mb((await stat(sample)).size)}; backend ${backend}; ${runs} run(s)\n`,
    );

    const direct: number[] = [];
    const pipeline: { ms: number; videoId: string }[] = [];
    for (let run = 0; run < runs; run++) {
      direct.push(await ffmpegAlone(sample, dir));
      pipeline.push(await endToEnd(cloud, sample, dir));
      await cloud.whenIdle();
    }
    const best = (list: number[]) => Math.min(...list);
    const e2e = pipeline.map((p) => p.ms);
    console.log('run   upload→READY   ffmpeg alone   ratio');
    for (let run = 0; run < runs; run++) {
      const ratio = (e2e[run] as number) / (direct[run] as number);
      console.log(
        `${String(run + 1).padEnd(5)} ${seconds(e2e[run] as number).padStart(12)}   ${seconds(direct[run] as number).padStart(12)}   ${ratio.toFixed(2)}×${run === 0 ? '  (cold: first invocation of every function)' : ''}`,
      );
    }
    const ratios = e2e.map((ms, run) => ms / (direct[run] as number)).sort((a, b) => a - b);
    const median = ratios[Math.floor(ratios.length / 2)] as number;
    console.log(
      `best  ${seconds(best(e2e)).padStart(12)}   ${seconds(best(direct)).padStart(12)}   ${(best(e2e) / best(direct)).toFixed(2)}×`,
    );
    console.log(
      `median of per-run ratios: ${median.toFixed(2)}×  target ≤ 1.25× → ${median <= 1.25 ? 'met' : 'NOT met'}\n`,
    );

    const last = pipeline[pipeline.length - 1] as { videoId: string };
    console.log('ffprobe reads of each rendition, with the arguments extract-metadata uses:');
    console.log(
      '  (read = what ffprobe itself reports reading; served = what the S3 gateway sent during the',
    );
    console.log('   pipeline run, which also counts data still in socket buffers when ffprobe hung up)');
    for (const rendition of RENDITIONS) {
      const key = `videos/${last.videoId}/${rendition}.mp4`;
      const head = await cloud.clients.s3.send(
        new HeadObjectCommand({ Bucket: cloud.names.transcodedBucket, Key: key }),
      );
      const size = head.ContentLength ?? 0;
      const read = await ffprobeBytesRead(
        await presignGetUrl(cloud.clients.s3, cloud.names.transcodedBucket, key, 300),
      );
      const served = cloud.bytesServed.get(`${cloud.names.transcodedBucket}/${key}`) ?? 0;
      console.log(
        `  ${rendition.padEnd(9)} size ${mb(size).padStart(9)}  read ${mb(read).padStart(9)} (${pct(read, size)})  served ${mb(served).padStart(9)}`,
      );
    }

    // The 10 s renditions are under 20 MB; check the target on a faststart file that is not.
    const big = join(dir, 'big-faststart.mp4');
    await runFfmpeg([
      '-v',
      'error',
      '-y',
      '-stream_loop',
      '2',
      '-i',
      sample,
      '-c:v',
      'libx264',
      '-preset',
      'ultrafast',
      '-b:v',
      '6000k',
      '-c:a',
      'aac',
      '-movflags',
      '+faststart',
      big,
    ]);
    const bigSize = (await stat(big)).size;
    const bigKey = `bench/${randomUUID()}.mp4`;
    await cloud.clients.s3.send(
      new PutObjectCommand({
        Bucket: cloud.names.transcodedBucket,
        Key: bigKey,
        Body: createReadStream(big),
        ContentLength: bigSize,
      }),
    );
    const bigRead = await ffprobeBytesRead(
      await presignGetUrl(cloud.clients.s3, cloud.names.transcodedBucket, bigKey, 300),
    );
    console.log(
      `  ${'30 s file'.padEnd(9)} size ${mb(bigSize).padStart(9)}  read ${mb(bigRead).padStart(9)} (${pct(bigRead, bigSize)})  target < 5 % for ≥ 20 MB → ${bigRead / bigSize < 0.05 ? 'met' : 'NOT met'}`,
    );
  } finally {
    await cloud.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
