/**
 * `npm run bench:load [-- --videos 20 --transcoder mediaconvert --seconds 2 --redeliver 0 --timeout 900]`:
 * N browser-style uploads at once against one local cloud.
 *
 * `--redeliver 2` delivers every upload's S3 event to its function twice more, at once with the first
 * (S3 delivers at least once): the duplicates count must stay 0.
 *
 * Each upload does what the web app does: `POST /uploads` with a bearer token for a ticket, then a
 * multipart POST of the file to the S3 gateway with the ticket's fields. Then it waits for the video
 * to end. It prints READY, FAILED (and REJECTED), duplicates (transcoder jobs beyond one per video),
 * lost (videos that never ended, or whose upload was refused), p50 and p95 from the start of the
 * upload to READY, and the local cloud's peak resident memory: this process (the emulators and the
 * bench's own clients) plus its child processes (Lambda containers, ffmpeg), sampled from /proc.
 * It prints figures and asserts nothing.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { ProcessTreeMemory } from '#bench/support/process-memory.ts';
import { percentile } from '#bench/support/stats.ts';
import { type ProgressEvent, startLocalCloud } from '#local/cloud';
import { startLocalCloudApi } from '#local/emulators/apigateway';
import { createLocalIdentityProvider } from '#local/emulators/cognito';
import { generateClip } from '#local/media';
import { prepareLocalStack } from '#local/prepare';
import { TRANSCODER_BACKENDS, type TranscoderBackend } from '#shared/transcoder/port';
import { isTerminal } from '#shared/video';

const { values } = parseArgs({
  options: {
    videos: { type: 'string', default: '20' },
    transcoder: { type: 'string', default: 'mediaconvert' },
    seconds: { type: 'string', default: '2' },
    users: { type: 'string', default: '5' },
    timeout: { type: 'string', default: '900' },
    redeliver: { type: 'string', default: '0' },
  },
});
const REDELIVER = Number(values.redeliver);
const VIDEOS = Number(values.videos);
const USERS = Math.max(1, Math.min(Number(values.users), VIDEOS));
const TIMEOUT_MS = Number(values.timeout) * 1000;
if (!Number.isInteger(VIDEOS) || VIDEOS < 1) throw new Error(`--videos must be a whole number ≥ 1.`);
if (!(TRANSCODER_BACKENDS as readonly string[]).includes(values.transcoder)) {
  throw new Error(`--transcoder must be one of ${TRANSCODER_BACKENDS.join(', ')}.`);
}
const BACKEND = values.transcoder as TranscoderBackend;

interface Ticket {
  videoId: string;
  url: string;
  fields: Record<string, string>;
}

interface Outcome {
  readonly n: number;
  videoId?: string;
  startedAt: number;
  uploadedAt?: number;
  endedAt?: number;
  status?: string;
  reason?: string;
  refused?: string;
}

async function main(): Promise<void> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const memory = new ProcessTreeMemory(process.pid);
  const stackFile = await prepareLocalStack(BACKEND);
  memory.start(250);
  const cloud = await startLocalCloud({ stackFile });
  const identity = await createLocalIdentityProvider();
  const api = await startLocalCloudApi(cloud, { identity });
  const warnings: string[] = [];
  cloud.events.on('warning', (error: Error) => warnings.push(error.message));
  const jobs = new Map<string, Set<string>>();
  let deadLetters = 0;
  cloud.events.on('progress', (event: ProgressEvent) => {
    if (event.kind === 'job' && event.videoId) {
      jobs.set(event.videoId, (jobs.get(event.videoId) ?? new Set()).add(event.jobId));
    }
    if (event.kind === 'dead-letter') deadLetters++;
  });
  let redelivered = 0;
  cloud.events.on('delivery', (delivery: { target: string; event: unknown; origin: string }) => {
    if (delivery.origin !== `s3:${cloud.names.uploadBucket}`) return;
    for (let copy = 0; copy < REDELIVER; copy++) {
      redelivered++;
      cloud.deliver(delivery.target, structuredClone(delivery.event), 'bench:redeliver');
    }
  });

  try {
    const clipFile = join(cloud.dataDir, 'load.mp4');
    await generateClip(clipFile, { seconds: Number(values.seconds), width: 640, height: 360, audio: true });
    const clip = await readFile(clipFile);
    const tokens = await Promise.all(
      Array.from({ length: USERS }, (_, u) =>
        identity.issueToken({ sub: `0000000${u}-0000-4000-8000-00000000load`, username: `load${u}` }),
      ),
    );

    const outcomes: Outcome[] = Array.from({ length: VIDEOS }, (_, n) => ({ n, startedAt: 0 }));
    const began = Date.now();
    await Promise.all(outcomes.map((outcome) => upload(outcome, tokens[outcome.n % USERS] as string, clip)));
    const uploadsDone = Date.now();

    const documents = DynamoDBDocumentClient.from(cloud.clients.dynamodb);
    const deadline = Date.now() + TIMEOUT_MS;
    const waiting = () => outcomes.filter((o) => o.videoId && !o.refused && o.endedAt === undefined);
    while (waiting().length > 0 && Date.now() < deadline) {
      const items = await scanAll(documents, cloud.names.videoTable);
      const now = Date.now();
      for (const outcome of waiting()) {
        const item = items.get(outcome.videoId as string);
        if (item && isTerminal(item.status as never)) {
          outcome.endedAt = now;
          outcome.status = String(item.status);
          if (typeof item.reason === 'string') outcome.reason = item.reason;
        }
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    // Whatever is still running now is lost; what follows is only the figures.
    const ended = Date.now();

    const ready = outcomes.filter((o) => o.status === 'READY');
    const failed = outcomes.filter((o) => o.status !== undefined && o.status !== 'READY');
    const lost = outcomes.filter((o) => o.status === undefined);
    const duplicates = [...jobs.values()].reduce((sum, set) => sum + Math.max(0, set.size - 1), 0);
    const latencies = ready.map((o) => ((o.endedAt as number) - o.startedAt) / 1000);
    const seconds = (value: number) => `${value.toFixed(1)} s`;
    const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
    const peak = memory.stop();

    console.log(`
bench:load — ${VIDEOS} concurrent browser-style uploads (${USERS} users), ${BACKEND}, a ${values.seconds} s 640×360 clip of ${(clip.length / 1024).toFixed(0)} KiB${REDELIVER ? `, every S3 event delivered ${REDELIVER + 1} times (${redelivered} extra)` : ''}

| measure | value | target |
| --- | --- | --- |
| READY | ${ready.length} / ${VIDEOS} | all |
| FAILED or REJECTED | ${failed.length}${failed.length ? ` (${summarize(failed)})` : ''} | 0 |
| duplicates (extra transcoder jobs) | ${duplicates} | 0 |
| lost (no terminal status within ${values.timeout} s, or upload refused) | ${lost.length}${lost.length ? ` (${summarize(lost)})` : ''} | 0 |
| upload→READY p50 | ${latencies.length ? seconds(percentile(latencies, 50)) : '—'} | |
| upload→READY p95 | ${latencies.length ? seconds(percentile(latencies, 95)) : '—'} | |
| all uploads accepted after | ${seconds((uploadsDone - began) / 1000)} | |
| last video ended after | ${seconds((ended - began) / 1000)} | |
| peak RSS, the cloud's process tree | ${mb(peak.total)} (this process ${mb(peak.self)}, Lambda containers ${mb(peak.lambdas)}, ffmpeg ${mb(peak.ffmpeg)}; at most ${peak.processes} processes) | |
| dead letters | ${deadLetters} | 0 |
| cloud warnings | ${warnings.length}${warnings.length ? ` (first: ${warnings[0]})` : ''} | 0 |
`);
  } finally {
    memory.stop();
    await api.stop();
    await cloud.stop();
  }

  async function upload(outcome: Outcome, token: string, clip: Buffer): Promise<void> {
    outcome.startedAt = Date.now();
    const response = await fetch(`${api.endpoint}/uploads`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        filename: `load ${outcome.n}.mp4`,
        contentType: 'video/mp4',
        size: clip.length,
      }),
    });
    if (response.status !== 201) {
      outcome.refused = `POST /uploads ${response.status}: ${await response.text()}`;
      return;
    }
    const ticket = (await response.json()) as Ticket;
    outcome.videoId = ticket.videoId;
    const form = new FormData();
    for (const [name, value] of Object.entries(ticket.fields)) form.append(name, value);
    form.append('file', new Blob([new Uint8Array(clip)], { type: 'video/mp4' }), 'load.mp4');
    const posted = await fetch(ticket.url, { method: 'POST', body: form });
    if (posted.status !== 204) {
      outcome.refused = `S3 POST ${posted.status}: ${(await posted.text()).slice(0, 200)}`;
      return;
    }
    outcome.uploadedAt = Date.now();
  }
}

function summarize(outcomes: readonly Outcome[]): string {
  const reasons = new Map<string, number>();
  for (const o of outcomes) {
    const reason = o.refused ?? (o.status ? `${o.status}: ${o.reason ?? ''}` : 'no terminal status');
    reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
  }
  return [...reasons]
    .slice(0, 3)
    .map(([reason, count]) => `${count}× ${reason.slice(0, 120)}`)
    .join('; ');
}

async function scanAll(
  documents: DynamoDBDocumentClient,
  table: string,
): Promise<Map<string, Record<string, unknown>>> {
  const items = new Map<string, Record<string, unknown>>();
  let start: Record<string, unknown> | undefined;
  do {
    const page = await documents.send(new ScanCommand({ TableName: table, ExclusiveStartKey: start }));
    for (const item of page.Items ?? []) items.set(String(item.videoId), item);
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
