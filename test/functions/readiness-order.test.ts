import { expect } from 'chai';
import fc from 'fast-check';
import sinon from 'sinon';
import { purgeVideo } from '#functions/delete-video/core.ts';
import { extractMetadata } from '#functions/extract-metadata/core.ts';
import { deleteOwnVideo } from '#functions/request-deletion/core.ts';
import { applyRenditionPermission } from '#functions/set-permissions/core.ts';
import { transcodeUpload } from '#functions/transcode-video/core.ts';
import { updateVideo } from '#functions/update-video/core.ts';
import { recordFinishedRendition } from '#functions/update-video-list/core.ts';
import type { DeletionRequest } from '#shared/deletion';
import { encodeS3Key, parseS3Records } from '#shared/events';
import { NotFoundError } from '#shared/http';
import { applyJobState } from '#shared/jobs';
import type { PlaybackUrls } from '#shared/playback';
import { DynamoVideoRepository, type MediaMetadata, type Video } from '#shared/store';
import { parseJobStates } from '#shared/transcoder';
import {
  PUBLIC_TAG,
  RENDITIONS,
  type Rendition,
  renditionKey,
  type SourcePicture,
  type Visibility,
} from '#shared/video';
import { type LocalVideoTable, startDynalite } from '../support/dynalite.ts';
import { type FakeS3, fakeS3 } from '../support/fake-s3.ts';
import { fakeLogger, INVOCATION } from '../support/pipeline-fakes.ts';

const UPLOAD_BUCKET = 'uploads-bucket';
const TRANSCODED_BUCKET = 'transcoded-bucket';
const OWNER = 'user-1';
const NOW = new Date('2026-11-24T12:00:00.000Z');

const PROBE: MediaMetadata = {
  durationSeconds: 4,
  width: 1280,
  height: 720,
  rotation: 0,
  videoCodec: 'h264',
  audioCodec: 'aac',
  bitRate: 1_000_000,
  size: 500_000,
  frameRate: 25,
};

const PLAYBACK: PlaybackUrls = {
  publicUrl: async (key) => `https://cdn.example.test/${key}`,
  privateUrl: async (key) => `https://bucket.example.test/${key}?signed`,
};

/** One event of one video, with the readiness fact it establishes (if any). */
interface PipelineEvent {
  readonly name: string;
  readonly fact?: string;
  deliver(): Promise<unknown>;
}

/** The facts READY needs: every rendition of the ladder recorded, its permission applied and probed, and the job complete. */
function requiredFacts(ladder: readonly Rendition[]): string[] {
  return ['job-completed', ...ladder.flatMap((r) => [`rendition:${r}`, `permission:${r}`, `probe:${r}`])];
}

/** A source for each size of ladder, as the transcoder's probe reports it, and the ladder it gets. */
const LADDERS: readonly { source: SourcePicture; ladder: readonly Rendition[] }[] = [
  { source: { width: 320, height: 240, bitRate: 600_000 }, ladder: ['web-720p'] },
  { source: { width: 1280, height: 720, bitRate: 5_000_000 }, ladder: ['720p', 'web-720p'] },
  { source: { width: 1920, height: 1080, bitRate: 8_000_000 }, ladder: ['1080p', '720p', 'web-720p'] },
];
type LadderCase = (typeof LADDERS)[number];

/** What the owner may do at any moment: switch visibility, or delete. */
type OwnerAction = 'make private' | 'make public' | 'delete';
const OWNER_ACTIONS: readonly OwnerAction[] = ['make private', 'make public', 'delete'];

function snsOf(messageBody: unknown): unknown {
  return {
    Records: [
      {
        EventSource: 'aws:sns',
        EventVersion: '1.0',
        Sns: {
          Type: 'Notification',
          MessageId: 'm-1',
          TopicArn: 'arn:aws:sns:us-east-1:123456789012:topic',
          Message: JSON.stringify(messageBody),
          Timestamp: NOW.toISOString(),
          MessageAttributes: {},
        },
      },
    ],
  };
}

function s3EventOf(bucket: string, key: string, size: number): { Records: unknown[] } {
  return {
    Records: [
      {
        eventVersion: '2.1',
        eventSource: 'aws:s3',
        awsRegion: 'us-east-1',
        eventTime: NOW.toISOString(),
        eventName: 'ObjectCreated:Put',
        s3: {
          s3SchemaVersion: '1.0',
          bucket: { name: bucket, arn: `arn:aws:s3:::${bucket}` },
          object: { key: encodeS3Key(key), size, sequencer: '0055AED6DCD90281E5' },
        },
      },
    ],
  };
}

/** A MediaConvert job-state event as EventBridge delivers it: COMPLETE carries the poster frame. */
function mediaConvertEvent(
  videoId: string,
  status: 'PROGRESSING' | 'COMPLETE',
  ladder: readonly Rendition[],
): unknown {
  const base = `s3://${TRANSCODED_BUCKET}/videos/${videoId}/`;
  return {
    version: '0',
    id: `event-${status}`,
    'detail-type': 'MediaConvert Job State Change',
    source: 'aws.mediaconvert',
    account: '123456789012',
    time: NOW.toISOString(),
    region: 'us-east-1',
    resources: [],
    detail: {
      timestamp: NOW.getTime(),
      accountId: '123456789012',
      queue: 'arn:aws:mediaconvert:us-east-1:123456789012:queues/q',
      jobId: `job-${videoId}`,
      status,
      userMetadata: { videoId },
      ...(status === 'COMPLETE' && {
        outputGroupDetails: [
          {
            type: 'FILE_GROUP',
            outputDetails: [
              ...ladder.map((r) => ({
                outputFilePaths: [`${base}${r}.mp4`],
                durationInMs: 4000,
                videoDetails: { widthInPx: 1280, heightInPx: 720 },
              })),
            ],
          },
          {
            type: 'FILE_GROUP',
            outputDetails: [
              {
                outputFilePaths: [`${base}poster.0000000.jpg`],
                durationInMs: 4000,
                videoDetails: { widthInPx: 640, heightInPx: 360 },
              },
            ],
          },
        ],
      }),
    },
  };
}

const posterKey = (videoId: string) => `videos/${videoId}/poster.0000000.jpg`;
const uploadKey = (videoId: string) => `uploads/${OWNER}/${videoId}/my clip.final.mov`;

describe('readiness, visibility and deletion under any event order', function () {
  // Hundreds of dynalite writes per property: a guard against a hang, not a speed limit.
  this.timeout(180_000);
  const sandbox = sinon.createSandbox();
  let table: LocalVideoTable;
  let repository: DynamoVideoRepository;
  let s3: FakeS3;

  before(async () => {
    table = await startDynalite();
    repository = new DynamoVideoRepository(table.documentClient, table.tableName);
  });

  after(async () => {
    await table?.stop();
  });

  beforeEach(() => {
    // Pages of two, so every purge has to follow ListObjectVersions' markers.
    s3 = fakeS3({ pageSize: 2 });
  });

  afterEach(() => {
    s3.restore();
    sandbox.restore();
  });

  /**
   * Every event of one video, delivered through the real parsers and cores against dynalite and a
   * versioned S3 in memory. A rendition's object exists from its first event or the job's end, the
   * poster from the job's end, as the transcoder writes them; `delete-video` runs whenever asked.
   * The source's probe gives the video its ladder; the renditions outside it get stray events (a late
   * or duplicate output no job was asked for), which every function must ignore.
   */
  function eventsOf(
    videoId: string,
    { source, ladder }: LadderCase,
  ): {
    upload: PipelineEvent;
    others: PipelineEvent[];
    owner: (action: OwnerAction) => PipelineEvent;
  } {
    const logger = fakeLogger(sandbox);
    const now = () => NOW;
    const client = s3.client;
    const canceller = {
      backend: 'mediaconvert' as const,
      cancelJob: async () => 'canceled' as const,
      getJobState: async () => undefined,
    };
    const requestDeletion = async (request: DeletionRequest) => {
      await purgeVideo(request, {
        repository,
        s3: client,
        uploadBucket: UPLOAD_BUCKET,
        transcodedBucket: TRANSCODED_BUCKET,
        canceller,
        now,
        sleep: async () => undefined,
        logger,
        jobWait: { attempts: 1, delayMs: 0 },
      });
    };
    const transcoder = {
      ...canceller,
      probeSource: async () => ({ picture: source, hasAudio: true }),
      startJob: async () => `job-${videoId}`,
    };
    const written = new Set<string>();
    const writeOutput = (key: string) => {
      if (written.has(key)) return;
      written.add(key);
      s3.put(TRANSCODED_BUCKET, key);
    };

    const upload: PipelineEvent = {
      name: 'upload',
      deliver: async () => {
        for (const record of parseS3Records(s3EventOf(UPLOAD_BUCKET, uploadKey(videoId), 1000))) {
          await transcodeUpload(
            record,
            {
              repository,
              transcoder,
              maxUploadBytes: 10_000,
              renditionLadder: 'source',
              now,
              logger,
              requestDeletion,
            },
            INVOCATION,
          );
        }
      },
    };
    const forEachTranscoded =
      (rendition: Rendition, fn: (record: ReturnType<typeof parseS3Records>[number]) => Promise<unknown>) =>
      async () => {
        const key = renditionKey(videoId, rendition);
        writeOutput(key);
        for (const record of parseS3Records(snsOf(s3EventOf(TRANSCODED_BUCKET, key, 500_000))))
          await fn(record);
      };
    const others: PipelineEvent[] = [];
    for (const rendition of RENDITIONS) {
      const stray = !ladder.includes(rendition);
      const named = (fn: string, fact: string) =>
        stray ? { name: `stray ${fn} ${rendition}` } : { name: `${fn} ${rendition}`, fact };
      others.push(
        {
          ...named('update-video-list', `rendition:${rendition}`),
          deliver: forEachTranscoded(rendition, (r) =>
            recordFinishedRendition(r, { repository, now, logger }),
          ),
        },
        {
          ...named('set-permissions', `permission:${rendition}`),
          deliver: forEachTranscoded(rendition, (r) =>
            applyRenditionPermission(r, { s3: client, repository, bucket: TRANSCODED_BUCKET, now, logger }),
          ),
        },
        {
          ...named('extract-metadata', `probe:${rendition}`),
          deliver: forEachTranscoded(rendition, (r) =>
            extractMetadata(r, {
              s3: client,
              probe: async () => PROBE,
              presignGet: async (bucket, k) => `https://${bucket}.example/${k}?signed`,
              repository,
              bucket: TRANSCODED_BUCKET,
              now,
              logger,
              requestDeletion,
            }),
          ),
        },
      );
    }
    for (const status of ['PROGRESSING', 'COMPLETE'] as const) {
      others.push({
        name: `job ${status}`,
        ...(status === 'COMPLETE' && { fact: 'job-completed' }),
        deliver: async () => {
          if (status === 'COMPLETE') {
            for (const rendition of ladder) writeOutput(renditionKey(videoId, rendition));
            writeOutput(posterKey(videoId));
          }
          for (const jobState of parseJobStates(mediaConvertEvent(videoId, status, ladder))) {
            await applyJobState(jobState, {
              repository,
              s3: client,
              bucket: TRANSCODED_BUCKET,
              now,
              logger,
              requestDeletion,
              requestTranscode: async () => undefined,
            });
          }
        },
      });
    }
    const owner = (action: OwnerAction): PipelineEvent => ({
      name: action,
      deliver: async () => {
        try {
          if (action === 'delete') {
            await deleteOwnVideo(videoId, OWNER, { repository, requestDeletion, now });
          } else {
            const visibility: Visibility = action === 'make private' ? 'private' : 'public';
            await updateVideo(
              videoId,
              OWNER,
              { visibility },
              {
                repository,
                s3: client,
                bucket: TRANSCODED_BUCKET,
                playback: PLAYBACK,
                now,
              },
            );
          }
        } catch (error) {
          // After a delete the owner's requests are 404s: the video is gone.
          if (!(error instanceof NotFoundError)) throw error;
        }
      },
    });
    return { upload, others, owner };
  }

  let videoCounter = 0;
  function nextVideoId(): string {
    videoCounter += 1;
    return `order-test-video-${String(videoCounter).padStart(5, '0')}`.slice(0, 22).padEnd(22, 'x');
  }

  /** Fisher–Yates driven by fast-check's stream, so a failure shrinks and replays from the seed. */
  function shuffle<T>(items: T[], randoms: Iterator<number>): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      // The stream may yield 1 itself: stay inside the array.
      const j = Math.min(i, Math.floor((randoms.next().value as number) * (i + 1)));
      [items[i], items[j]] = [items[j] as T, items[i] as T];
    }
    return items;
  }

  /** Tags of an output match a visibility: CloudFront may serve it exactly when public. */
  function taggedAs(key: string): Visibility {
    const tags = s3.tagsOf(TRANSCODED_BUCKET, key);
    return tags.some((t) => t.Key === PUBLIC_TAG.key && t.Value === PUBLIC_TAG.value) ? 'public' : 'private';
  }

  /**
   * Delivers the upload, then the rest of the pipeline events in `order` (duplicates included),
   * with the owner's actions inserted at their positions, checking after every event: READY exactly
   * when the last fact arrives, and nothing written back once deleted. Returns the final video.
   */
  async function run(
    videoId: string,
    initial: Visibility,
    order: { pipeline: PipelineEvent[]; owner: readonly { at: number; event: PipelineEvent }[] },
    ladder: readonly Rendition[],
  ): Promise<{ video: Video | undefined; deleted: boolean; visibility: Visibility; trace: string[] }> {
    await repository.recordUpload({
      videoId,
      ownerId: OWNER,
      source: { bucket: UPLOAD_BUCKET, key: uploadKey(videoId), filename: 'my clip.final.mov', size: 1000 },
      visibility: initial,
      now: NOW,
    });
    s3.put(UPLOAD_BUCKET, uploadKey(videoId));

    const sequence: PipelineEvent[] = [...order.pipeline];
    for (const { at, event } of [...order.owner].sort((a, b) => b.at - a.at)) {
      sequence.splice(Math.min(at, sequence.length), 0, event);
    }
    const delivered = new Set<string>();
    const trace: string[] = [];
    let visibility = initial;
    let uploaded = false;
    let tombstone: Video | undefined;
    for (const event of sequence) {
      await event.deliver();
      trace.push(event.name);
      const context = `after ${trace.join(' → ')}`;
      const video = await repository.get(videoId);
      if (tombstone) {
        expect(video, `${context}: nothing is written back after a delete`).to.deep.equal(tombstone);
        continue;
      }
      if (event.name === 'delete') {
        expect(video?.status, context).to.equal('DELETED');
        expect(video?.purgedAt, context).to.be.a('string');
        tombstone = video;
        continue;
      }
      if (event.name === 'make private') visibility = 'private';
      if (event.name === 'make public') visibility = 'public';
      if (event.name === 'upload') uploaded = true;
      if (event.fact) delivered.add(event.fact);
      const complete = requiredFacts(ladder).every((fact) => delivered.has(fact));
      expect(video?.status, context).to.equal(!uploaded ? 'UPLOADED' : complete ? 'READY' : 'TRANSCODING');
      expect(video?.visibility, context).to.equal(visibility);
      if (uploaded) expect(video?.expectedRenditions, context).to.deep.equal(ladder);
      expect(
        video?.outputs.filter((o) => !ladder.includes(o.rendition)),
        `${context}: nothing recorded outside the ladder`,
      ).to.deep.equal([]);
    }
    return { video: await repository.get(videoId), deleted: tombstone !== undefined, visibility, trace };
  }

  /** Strays of renditions outside the ladder stay unservable: untagged whatever the visibility. */
  function expectStraysUntagged(videoId: string, ladder: readonly Rendition[], context: string): void {
    for (const rendition of RENDITIONS.filter((r) => !ladder.includes(r))) {
      const key = renditionKey(videoId, rendition);
      if (s3.exists(TRANSCODED_BUCKET, key))
        expect(taggedAs(key), `${context}: stray ${key}`).to.equal('private');
    }
  }

  it('becomes READY exactly when the last missing fact of its ladder (1, 2 or 3 renditions) arrives, never before, whatever the order, duplicates and strays', async () => {
    const runs = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...LADDERS),
        // Indices into the events (after the upload) to deliver twice, then the order of the whole batch.
        fc.array(fc.nat({ max: 10 }), { maxLength: 8 }),
        fc.infiniteStream(fc.double({ min: 0, max: 1, noNaN: true })),
        async (ladderCase, duplicates, randoms) => {
          const { ladder } = ladderCase;
          runs.set(ladder.length, (runs.get(ladder.length) ?? 0) + 1);
          const videoId = nextVideoId();
          const { upload, others } = eventsOf(videoId, ladderCase);
          const batch = shuffle(
            [...others, ...duplicates.map((i) => others[i] as PipelineEvent)],
            randoms[Symbol.iterator](),
          );

          // The upload always comes first: nothing can be transcoded before the job exists.
          const { video, trace } = await run(
            videoId,
            'public',
            { pipeline: [upload, ...batch], owner: [] },
            ladder,
          );

          expect(video?.status, trace.join(' → ')).to.equal('READY');
          expect(video?.outputs.map((o) => [o.rendition, o.public])).to.deep.equal(
            ladder.map((r) => [r, true]),
          );
          expect(video?.metadata).to.deep.equal(PROBE);
          expect(video?.jobComplete).to.equal(true);
          expectStraysUntagged(videoId, ladder, trace.join(' → '));
        },
      ),
      { seed: 20261124, numRuns: 45 },
    );
    // Every size of ladder was exercised.
    expect([...runs.keys()].sort()).to.deep.equal([1, 2, 3]);
    for (const count of runs.values()) expect(count).to.be.greaterThan(5);
  });

  it('leaves tags matching the final visibility, never writes back after a delete and never reaches READY after it, whatever the order', async () => {
    let runs = 0;
    let deletes = 0;
    let switches = 0;
    const ladders = new Set<number>();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...LADDERS),
        fc.constantFrom<Visibility>('public', 'private'),
        fc.array(fc.nat({ max: 10 }), { maxLength: 6 }),
        // The owner's actions, each at a position in the whole sequence (0: before the upload event).
        fc.array(fc.record({ action: fc.constantFrom(...OWNER_ACTIONS), at: fc.nat({ max: 20 }) }), {
          minLength: 1,
          maxLength: 4,
        }),
        fc.infiniteStream(fc.double({ min: 0, max: 1, noNaN: true })),
        async (ladderCase, initial, duplicates, actions, randoms) => {
          const { ladder } = ladderCase;
          runs += 1;
          ladders.add(ladder.length);
          const videoId = nextVideoId();
          const { upload, others, owner } = eventsOf(videoId, ladderCase);
          const batch = shuffle(
            [...others, ...duplicates.map((i) => others[i] as PipelineEvent)],
            randoms[Symbol.iterator](),
          );

          const { video, deleted, visibility, trace } = await run(
            videoId,
            initial,
            {
              pipeline: [upload, ...batch],
              owner: actions.map(({ action, at }) => ({ at, event: owner(action) })),
            },
            ladder,
          );
          const context = trace.join(' → ');

          if (deleted) {
            deletes += 1;
            expect(video?.status, context).to.equal('DELETED');
            expect(s3.versionsUnder(UPLOAD_BUCKET, `uploads/${OWNER}/${videoId}/`), context).to.deep.equal(
              [],
            );
            expect(s3.versionsUnder(TRANSCODED_BUCKET, `videos/${videoId}/`), context).to.deep.equal([]);
            return;
          }
          switches += 1;
          expect(video?.status, context).to.equal('READY');
          expect(video?.visibility, context).to.equal(visibility);
          for (const key of [...ladder.map((r) => renditionKey(videoId, r)), posterKey(videoId)]) {
            expect(s3.exists(TRANSCODED_BUCKET, key), `${context}: ${key} exists`).to.equal(true);
            expect(taggedAs(key), `${context}: tags of ${key}`).to.equal(visibility);
          }
          expectStraysUntagged(videoId, ladder, context);
        },
      ),
      { seed: 20261125, numRuns: 60 },
    );
    expect(runs).to.equal(60);
    expect([...ladders].sort()).to.deep.equal([1, 2, 3]);
    // Both kinds of ending were exercised, not only one.
    expect(deletes).to.be.greaterThan(5);
    expect(switches).to.be.greaterThan(5);
  });

  it('converges on the visibility the item ends with when switches and tagging run at the same time', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...LADDERS),
        fc.array(fc.constantFrom<OwnerAction>('make private', 'make public'), { minLength: 1, maxLength: 4 }),
        fc.infiniteStream(fc.double({ min: 0, max: 1, noNaN: true })),
        async (ladderCase, switches, randoms) => {
          const videoId = nextVideoId();
          const { upload, others, owner } = eventsOf(videoId, ladderCase);
          await run(videoId, 'public', { pipeline: [upload], owner: [] }, ladderCase.ladder);
          const tagging = others.filter(
            (e) => e.name.startsWith('set-permissions') || e.name === 'job COMPLETE',
          );

          // Everything at once: each writer reads, tags and records while the others do.
          await Promise.all(
            shuffle([...tagging, ...switches.map(owner)], randoms[Symbol.iterator]()).map((e) => e.deliver()),
          );

          const video = await repository.get(videoId);
          const keys = [...ladderCase.ladder.map((r) => renditionKey(videoId, r)), posterKey(videoId)];
          for (const key of keys) {
            expect(taggedAs(key), `${key} after ${switches.join(', ')}`).to.equal(video?.visibility);
          }
        },
      ),
      { seed: 20261126, numRuns: 40 },
    );
  });
});
