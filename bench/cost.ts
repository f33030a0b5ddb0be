/**
 * `npm run bench:cost [-- --backend mediaconvert|elastic-transcoder] [--only 240p,480p] [--ladder source|full|both]`:
 * what one video costs, measured on the local cloud.
 *
 * Generates the sources (10 s each at 1080p, 720p, 480p, 240p and portrait 1080×1920, and 60 s at 1080p),
 * runs them one at a time through one local cloud per backend and ladder (`RENDITION_LADDER=source`, then
 * `full` for the sources whose own ladder is not already every rendition: for the others the full-ladder
 * job is the same job, and its figures are the source run's), and diffs the cloud's usage counters
 * (`cloud.usage`) around each video. Prints per video and
 * backend the output minutes by class, transcoding, orchestration and storage dollars at the prices of
 * `bench/cost/prices.json`, the full-ladder figures beside them, Video on Demand on AWS's orchestration
 * for one video at the same prices (`bench/cost/vod-orchestration.json`), and the three targets.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startLocalCloud } from '#local/cloud';
import { uploadFile, waitForTerminal } from '#local/follow';
import { generateClip } from '#local/media';
import { prepareLocalStack } from '#local/prepare';
import { diffUsage, type StoredBytes } from '#local/usage';
import { TRANSCODER_BACKENDS, type TranscoderBackend } from '#shared/transcoder';
import { RENDITIONS } from '#shared/video';
import {
  mediaRequestCost,
  orchestrationCost,
  type PriceTable,
  readData,
  storageCostPerMonth,
  transcodingCost,
  type VodModel,
  vodOrchestrationCost,
} from './cost/pricing.ts';
import {
  evaluateTargets,
  type Ladder,
  orchestrationTable,
  usd,
  type VideoCost,
  videoTable,
} from './cost/report.ts';

/** The sources of the benchmark: name, size and length (`rotate` makes a phone's portrait video). */
const SOURCES = [
  { name: '1080p', width: 1920, height: 1080, seconds: 10 },
  { name: '720p', width: 1280, height: 720, seconds: 10 },
  { name: '480p', width: 854, height: 480, seconds: 10 },
  { name: '240p', width: 320, height: 240, seconds: 10 },
  { name: 'portrait 1080×1920', width: 1920, height: 1080, seconds: 10, rotate: 90 as const },
  { name: '1080p 60 s', width: 1920, height: 1080, seconds: 60 },
] as const;
const SMALL = ['240p', '480p'];
const LONG = '1080p 60 s';

const { values } = parseArgs({
  options: {
    backend: { type: 'string', multiple: true },
    only: { type: 'string' },
    ladder: { type: 'string', default: 'both' },
    timeout: { type: 'string', default: '900' },
  },
});
const backends = (values.backend ?? [...TRANSCODER_BACKENDS]) as TranscoderBackend[];
for (const backend of backends) {
  if (!TRANSCODER_BACKENDS.includes(backend)) {
    throw new Error(`--backend must be one of ${TRANSCODER_BACKENDS.join(', ')}; got "${backend}".`);
  }
}
const only = values.only?.split(',').map((s) => s.trim());
const sources = SOURCES.filter((s) => !only || only.includes(s.name));
if (sources.length === 0)
  throw new Error(`--only matches no source; they are: ${SOURCES.map((s) => s.name).join(', ')}.`);
const ladders: Ladder[] =
  values.ladder === 'both'
    ? ['source', 'full']
    : values.ladder === 'source' || values.ladder === 'full'
      ? [values.ladder]
      : [];
if (ladders.length === 0) throw new Error(`--ladder must be source, full or both; got "${values.ladder}".`);

const stored = (before: Record<string, StoredBytes>, after: Record<string, StoredBytes>) =>
  Object.fromEntries(
    Object.entries(after).map(([bucket, b]) => [
      bucket,
      {
        current: b.current - (before[bucket]?.current ?? 0),
        noncurrent: b.noncurrent - (before[bucket]?.noncurrent ?? 0),
        objects: b.objects - (before[bucket]?.objects ?? 0),
      },
    ]),
  );

async function measure(
  backend: TranscoderBackend,
  ladder: Ladder,
  stackFile: string,
  sources: readonly (typeof SOURCES)[number][],
  files: ReadonlyMap<string, string>,
  dir: string,
  prices: PriceTable,
): Promise<VideoCost[]> {
  // Schedules stay off: the reconciler's runs cost per hour, not per video.
  const cloud = await startLocalCloud({ stackFile, schedules: 'manual', renditionLadder: ladder });
  try {
    // A first 1080p video starts the containers a three-rendition video needs, as earlier uploads would have.
    const warm = join(dir, `warm-up.mp4`);
    await generateClip(warm, { seconds: 2, width: 1920, height: 1080 });
    const warmed = await uploadFile(cloud, warm, `warm-up-${ladder}.mp4`);
    await waitForTerminal(cloud, warmed.videoId, { timeoutMs: Number(values.timeout) * 1000, pollMs: 250 });
    await cloud.whenIdle();

    const results: VideoCost[] = [];
    for (const source of sources) {
      const file = files.get(source.name) as string;
      const before = cloud.usage.snapshot();
      const storedBefore = await cloud.usage.storedBytes();
      const { videoId } = await uploadFile(
        cloud,
        file,
        `${source.name.replace(/[^\w]+/g, '-')}-${ladder}.mp4`,
      );
      const video = await waitForTerminal(cloud, videoId, {
        timeoutMs: Number(values.timeout) * 1000,
        pollMs: 250,
      });
      await cloud.whenIdle();
      if (video.status !== 'READY')
        throw new Error(`${source.name} on ${backend} ended ${video.status}: ${video.reason ?? ''}`);
      const usage = diffUsage(before, cloud.usage.snapshot());
      const bytes = stored(storedBefore, await cloud.usage.storedBytes());
      results.push({
        source: source.name,
        backend,
        ladder,
        renditions: video.outputs.map((o) => o.rendition),
        transcoding: transcodingCost(usage.transcoderOutputs, backend, prices),
        orchestration: orchestrationCost(usage, prices),
        mediaRequests: mediaRequestCost(usage, prices),
        storagePerMonth: storageCostPerMonth(bytes, prices),
      });
      console.error(`  ${backend} ${ladder} ${source.name}: ${results.at(-1)?.renditions.join(', ')}`);
    }
    return results;
  } finally {
    await cloud.stop();
  }
}

async function main(): Promise<void> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const prices = readData<PriceTable>('prices.json');
  const vodModel = readData<VodModel>('vod-orchestration.json');
  const vod = vodOrchestrationCost(vodModel, prices);
  const started = Date.now();
  const dir = await mkdtemp(join(tmpdir(), 'bench-cost-'));
  try {
    const files = new Map<string, string>();
    for (const source of sources) {
      const file = join(dir, `${source.name.replace(/[^\w]+/g, '-')}.mp4`);
      await generateClip(file, {
        seconds: source.seconds,
        width: source.width,
        height: source.height,
        ...('rotate' in source && { rotate: source.rotate }),
      });
      files.set(source.name, file);
    }
    const unconfirmed = Object.entries(prices.prices)
      .filter(([, p]) => !p.confirmed)
      .map(([id]) => id);
    console.log(
      `bench:cost — ${new Date().toISOString().slice(0, 10)}, ${cpus().length} CPUs (${cpus()[0]?.model ?? 'unknown'}), load ${loadavg()[0]?.toFixed(1)}, Node ${process.versions.node}`,
    );
    console.log(
      `prices: ${prices.region} on-demand, read ${prices.readOn} (bench/cost/prices.json); unconfirmed: ${unconfirmed.join(', ')}\n`,
    );

    const all: VideoCost[] = [];
    for (const backend of backends) {
      const stackFile = await prepareLocalStack(backend, (line) => console.error(line));
      const first = await measure(backend, ladders[0] as Ladder, stackFile, sources, files, dir, prices);
      all.push(...first);
      if (ladders.length < 2) continue;
      // A source whose own ladder is already every rendition makes the same job with the full ladder.
      const differing = sources.filter(
        (source) => (first.find((v) => v.source === source.name)?.renditions.length ?? 0) < RENDITIONS.length,
      );
      const full =
        differing.length > 0 ? await measure(backend, 'full', stackFile, differing, files, dir, prices) : [];
      for (const video of first) {
        all.push(full.find((v) => v.source === video.source) ?? { ...video, ladder: 'full', sameRun: true });
      }
    }

    const verdicts: string[] = [];
    for (const backend of backends) {
      const mine = all.filter((v) => v.backend === backend);
      const primary = ladders[0] as Ladder;
      const pairs = mine
        .filter((v) => v.ladder === primary)
        .map((v) => ({
          source: v,
          ...(primary === 'source' && {
            full: mine.find((f) => f.ladder === 'full' && f.source === v.source),
          }),
        })) as { source: VideoCost; full?: VideoCost }[];
      console.log(`## ${backend}${primary === 'full' ? ' (full ladder only)' : ''}\n`);
      console.log(videoTable(pairs));
      console.log(
        `\nOrchestration by service, ${primary} ladder, and Video on Demand on AWS's for one video at the same prices:\n`,
      );
      console.log(
        orchestrationTable([
          ...pairs.map((p) => ({ label: p.source.source, cost: p.source.orchestration })),
          { label: `VOD ${vodModel.version} (model)`, cost: vod },
        ]),
      );
      console.log('');
      for (const target of evaluateTargets(pairs, vod, { small: SMALL, long: LONG })) {
        verdicts.push(`${target.pass ? 'PASS' : 'MISS'}  ${backend}: ${target.name}: ${target.measured}`);
      }
    }
    console.log(
      `VOD: ${vodModel.source.repo} ${vodModel.source.file} at ${vodModel.source.commit.slice(0, 12)} (${vodModel.version}); ${vod.lambda.invocations} invocations of ${vodModel.lambda.length} functions (assumed durations), ${vod.stepFunctions.transitions} state transitions = ${usd(vod.dollars)} per video\n`,
    );
    console.log('Targets:');
    for (const line of verdicts) console.log(`  ${line}`);
    console.log(`\n${((Date.now() - started) / 1000).toFixed(0)} s`);
  } finally {
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
