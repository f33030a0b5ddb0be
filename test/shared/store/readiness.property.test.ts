import { expect } from 'chai';
import fc from 'fast-check';
import { DynamoVideoRepository, type MediaMetadata } from '#shared/store';
import { RENDITIONS, type Rendition, renditionKey } from '#shared/video';
import { type LocalVideoTable, startDynalite } from '../../support/dynalite.ts';
import { holder } from '../../support/pipeline-fakes.ts';

const T0 = new Date('2026-11-24T10:00:00.000Z');
const METADATA: MediaMetadata = {
  durationSeconds: 5,
  width: 1280,
  height: 720,
  rotation: 0,
  videoCodec: 'h264',
  bitRate: 1_000_000,
  size: 625_000,
  frameRate: 25,
};

/** One fact a pipeline function records; every writer then tries the READY transition. */
type Fact =
  | { kind: 'jobComplete' }
  | { kind: 'rendition' | 'public' | 'probe'; rendition: (typeof RENDITIONS)[number] };

const ALL_FACTS: Fact[] = [
  { kind: 'jobComplete' },
  ...RENDITIONS.flatMap((rendition) =>
    (['rendition', 'public', 'probe'] as const).map((kind) => ({ kind, rendition })),
  ),
];
const factName = (f: Fact) => (f.kind === 'jobComplete' ? f.kind : `${f.kind}:${f.rendition}`);

/** The ladders a video can have: one, two or three renditions. */
const LADDERS: readonly (readonly Rendition[])[] = [
  ['web-720p'],
  ['720p', 'web-720p'],
  ['1080p', '720p', 'web-720p'],
];
const inLadder = (f: Fact, ladder: readonly Rendition[]) =>
  f.kind === 'jobComplete' || ladder.includes(f.rendition);

describe('integration', () => {
  describe('readiness on dynalite under any order of facts', () => {
    let table: LocalVideoTable;
    let repo: DynamoVideoRepository;
    let run = 0;

    before(async () => {
      table = await startDynalite();
      repo = new DynamoVideoRepository(table.documentClient, table.tableName);
    });

    after(async () => {
      await table?.stop();
    });

    function record(videoId: string, fact: Fact, now: Date): Promise<boolean> {
      switch (fact.kind) {
        case 'jobComplete':
          return repo.recordJobCompleted(videoId, {}, now);
        case 'rendition':
          return repo.recordRendition(videoId, fact.rendition, renditionKey(videoId, fact.rendition), now);
        case 'public':
          return repo.recordPermission(
            videoId,
            fact.rendition,
            { key: renditionKey(videoId, fact.rendition), visibility: 'public' },
            now,
          );
        case 'probe':
          return repo.recordProbe(videoId, fact.rendition, METADATA, now, { highest: false });
      }
    }

    it('becomes READY exactly when the last missing fact of its ladder arrives, once, whatever the order, repeats and facts of other renditions', async () => {
      // Every fact at least once, some repeated, shuffled; progress events sprinkled in.
      const deliveries = fc
        .tuple(
          fc.shuffledSubarray(ALL_FACTS, { minLength: 0, maxLength: 4 }),
          fc.array(fc.integer({ min: 0, max: 100 }), { maxLength: 3 }),
        )
        .chain(([repeats, progress]) =>
          fc.shuffledSubarray(
            [
              ...ALL_FACTS.map((f) => ({
                fact: f as Fact | undefined,
                percent: undefined as number | undefined,
              })),
              ...repeats.map((f) => ({ fact: f as Fact | undefined, percent: undefined })),
              ...progress.map((p) => ({ fact: undefined, percent: p })),
            ],
            { minLength: ALL_FACTS.length + repeats.length + progress.length },
          ),
        );

      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...LADDERS), deliveries, async (ladder, events) => {
          const videoId = `prop${String(++run).padStart(18, '0')}`;
          await repo.claim({
            videoId,
            source: { bucket: 'b', key: 'k.mp4', filename: 'k.mp4' },
            transcoder: 'mediaconvert',
            now: T0,
            holder: holder(),
          });
          await repo.recordLadder(videoId, holder().token, ladder, T0);
          const needed = ALL_FACTS.filter((f) => inLadder(f, ladder)).map(factName);
          const seen = new Set<string>();
          let transitions = 0;

          for (const [i, event] of events.entries()) {
            const now = new Date(T0.getTime() + (i + 1) * 1000);
            if (event.fact) {
              const recorded = await record(videoId, event.fact, now);
              if (!inLadder(event.fact, ladder)) expect(recorded, factName(event.fact)).to.equal(false);
              seen.add(factName(event.fact));
            } else if (event.percent !== undefined) {
              await repo.recordProgress(videoId, event.percent, now);
            }
            if (await repo.tryMarkReady(videoId, now)) transitions++;

            const complete = needed.every((fact) => seen.has(fact));
            expect((await repo.get(videoId))?.status).to.equal(complete ? 'READY' : 'TRANSCODING');
          }

          expect(transitions).to.equal(1);
          const video = await repo.get(videoId);
          expect(video?.outputs.map((o) => [o.rendition, o.public])).to.deep.equal(
            ladder.map((r) => [r, true]),
          );
        }),
        { numRuns: 12 },
      );
    });
  });
});
