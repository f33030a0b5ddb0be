import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { expect } from 'chai';
import {
  DynamoVideoRepository,
  InvalidCursorError,
  type MediaMetadata,
  STALE_CLAIM_MS,
  type VideoSource,
} from '#shared/store';
import { RENDITIONS, type Rendition, renditionKey } from '#shared/video';
import { type LocalVideoTable, startDynalite } from '../../support/dynalite.ts';
import { holder } from '../../support/pipeline-fakes.ts';

const SOURCE: VideoSource = {
  bucket: 'uploads',
  key: 'uploads/user-1/AbCdEfGhIjKlMnOpQrStUv/my holiday.mov',
  filename: 'my holiday.mov',
  size: 1234,
};
const T0 = new Date('2026-11-24T10:00:00.000Z');
const later = (seconds: number) => new Date(T0.getTime() + seconds * 1000);

function probe(width: number, height: number): MediaMetadata {
  return {
    durationSeconds: 12.5,
    width,
    height,
    rotation: 0,
    videoCodec: 'h264',
    audioCodec: 'aac',
    bitRate: 2_000_000,
    size: 3_125_000,
    frameRate: 25,
  };
}
const PROBES: Record<Rendition, MediaMetadata> = {
  '1080p': probe(1920, 1080),
  '720p': probe(1280, 720),
  'web-720p': probe(1280, 720),
};

describe('integration', () => {
  describe('DynamoVideoRepository on dynalite', () => {
    let table: LocalVideoTable;
    let repo: DynamoVideoRepository;
    let counter = 0;
    const nextId = () => `video${String(++counter).padStart(17, '0')}`;

    before(async () => {
      table = await startDynalite();
      repo = new DynamoVideoRepository(table.documentClient, table.tableName);
    });

    after(async () => {
      await table?.stop();
    });

    /** A claim by invocation `token` at `now`, its lease ending `leaseSeconds` after T0. */
    const claimAs = (videoId: string, token: string, now = T0, leaseSeconds = 900) =>
      repo.claim({
        videoId,
        source: SOURCE,
        transcoder: 'mediaconvert',
        now,
        holder: holder(token, later(leaseSeconds)),
      });

    async function claimed(videoId = nextId()): Promise<string> {
      expect(await claimAs(videoId, 'request-1')).to.deep.equal({ kind: 'new', attempt: 1 });
      return videoId;
    }

    async function recordEveryFact(videoId: string, except?: string): Promise<void> {
      if (except !== 'jobComplete') await repo.recordJobCompleted(videoId, {}, later(5));
      for (const rendition of RENDITIONS) {
        if (except !== `renditions.${rendition}`)
          await repo.recordRendition(videoId, rendition, renditionKey(videoId, rendition), later(6));
        if (except !== `permissions.${rendition}`)
          await repo.recordPermission(
            videoId,
            rendition,
            { key: renditionKey(videoId, rendition), visibility: 'public' },
            later(7),
          );
        if (except !== `probes.${rendition}`)
          await repo.recordProbe(videoId, rendition, PROBES[rendition], later(8), {
            highest: rendition === '1080p',
          });
      }
    }

    /** Records every fact of `renditions` (and the job's completion), as the pipeline functions would. */
    async function recordFactsOf(videoId: string, renditions: readonly Rendition[]): Promise<boolean[]> {
      const results = [await repo.recordJobCompleted(videoId, {}, later(5))];
      for (const rendition of renditions) {
        results.push(
          await repo.recordRendition(videoId, rendition, renditionKey(videoId, rendition), later(6)),
          await repo.recordPermission(
            videoId,
            rendition,
            { key: renditionKey(videoId, rendition), visibility: 'public' },
            later(7),
          ),
          await repo.recordProbe(videoId, rendition, PROBES[rendition], later(8), {
            highest: rendition === renditions[0],
          }),
        );
      }
      return results;
    }

    describe('claim', () => {
      it('lets exactly one of many concurrent duplicate claims win', async () => {
        const videoId = nextId();

        const results = await Promise.all(
          Array.from({ length: 8 }, (_, i) => claimAs(videoId, `request-${i}`)),
        );

        expect(results.filter(Boolean)).to.have.length(1);
        expect((await repo.get(videoId))?.status).to.equal('TRANSCODING');
      });

      it('claims an API upload once, keeping its owner', async () => {
        const videoId = nextId();
        await repo.recordUpload({
          videoId,
          ownerId: 'user-1',
          source: SOURCE,
          visibility: 'public',
          now: T0,
        });

        const first = await repo.claim({
          videoId,
          source: SOURCE,
          transcoder: 'elastic-transcoder',
          now: later(1),
          holder: holder('request-1', later(900)),
        });
        const second = await repo.claim({
          videoId,
          source: SOURCE,
          transcoder: 'elastic-transcoder',
          now: later(2),
          holder: holder('request-2', later(900)),
        });

        expect([first, second]).to.deep.equal([{ kind: 'new', attempt: 1 }, undefined]);
        const video = await repo.get(videoId);
        expect(video).to.deep.include({
          status: 'TRANSCODING',
          ownerId: 'user-1',
          createdAt: T0.toISOString(),
          updatedAt: later(1).toISOString(),
          transcoder: 'elastic-transcoder',
        });
      });

      it("keeps an API upload's original filename when the upload event claims it", async () => {
        const videoId = nextId();
        const issued = { ...SOURCE, filename: 'Mon film d’été.mov' };
        const announced = { ...SOURCE, filename: 'my-holiday.mov', size: 999 };
        await repo.recordUpload({
          videoId,
          ownerId: 'user-1',
          source: issued,
          visibility: 'public',
          now: T0,
        });

        await repo.claim({
          videoId,
          source: announced,
          transcoder: 'mediaconvert',
          now: later(1),
          holder: holder(),
        });

        expect((await repo.get(videoId))?.source).to.deep.equal(issued);
      });

      it('creates the source from the event when the video was not issued by the API', async () => {
        const videoId = await claimed();

        expect((await repo.get(videoId))?.source).to.deep.equal(SOURCE);
      });

      it('gives a claim without a job back to the invocation that holds it: the retry of the same event resumes it', async () => {
        const videoId = await claimed();

        const duplicate = await claimAs(videoId, 'request-2', later(5));
        const retry = await claimAs(videoId, 'request-1', later(6));

        expect([duplicate, retry]).to.deep.equal([undefined, { kind: 'resumed', attempt: 1 }]);
        expect(await repo.get(videoId)).to.deep.include({ status: 'TRANSCODING', claimToken: 'request-1' });
      });

      it('lets another invocation take a claim without a job over once its lease has ended', async () => {
        const videoId = nextId();
        await claimAs(videoId, 'request-1', T0, 30);

        const whileLeased = await claimAs(videoId, 'redrive-1', later(29));
        const afterLease = await claimAs(videoId, 'redrive-1', later(31));
        const theDeadOne = await claimAs(videoId, 'request-1', later(32));

        expect([whileLeased, afterLease]).to.deep.equal([undefined, { kind: 'taken-over', attempt: 1 }]);
        expect(theDeadOne, 'the old holder lost it').to.equal(undefined);
      });

      it('lets anyone take a claim over at once when its holder released the lease', async () => {
        const videoId = await claimed();

        const stranger = await repo.releaseLease(videoId, 'request-2');
        const released = await repo.releaseLease(videoId, 'request-1');
        const takeover = await claimAs(videoId, 'reconcile-1', later(1));

        expect([stranger, released]).to.deep.equal([false, true]);
        expect(takeover).to.deep.equal({ kind: 'taken-over', attempt: 1 });
      });

      it('lets a redrive claim a claim without a lease (an old item) once it is older than any invocation', async () => {
        const videoId = await claimed();
        await table.documentClient.send(
          new UpdateCommand({
            TableName: table.tableName,
            Key: { videoId },
            UpdateExpression: 'REMOVE leaseUntil, claimToken',
          }),
        );

        const withinAnyInvocation = await claimAs(videoId, 'redrive-1', later(15 * 60));
        const abandoned = await claimAs(videoId, 'redrive-1', later(STALE_CLAIM_MS / 1000 + 1));

        expect([withinAnyInvocation, abandoned]).to.deep.equal([
          undefined,
          { kind: 'taken-over', attempt: 1 },
        ]);
      });

      it('never reclaims a video whose job started, however old the claim', async () => {
        const videoId = await claimed();
        await repo.recordJobStarted(videoId, 'job-1', later(1));

        const again = await claimAs(videoId, 'request-1', later((STALE_CLAIM_MS / 1000) * 10));

        expect(again).to.equal(undefined);
        expect((await repo.get(videoId))?.jobId).to.equal('job-1');
      });

      it('does not release the lease of a claim once the job id is stored', async () => {
        const videoId = await claimed();
        await repo.recordJobStarted(videoId, 'job-1', later(1));

        expect(await repo.releaseLease(videoId, 'request-1')).to.equal(false);
        expect((await repo.get(videoId))?.status).to.equal('TRANSCODING');
      });

      it('refuses a second recordUpload of the same id', async () => {
        const videoId = nextId();

        const first = await repo.recordUpload({
          videoId,
          ownerId: 'user-1',
          source: SOURCE,
          visibility: 'public',
          now: T0,
        });
        const second = await repo.recordUpload({
          videoId,
          ownerId: 'user-2',
          source: SOURCE,
          visibility: 'public',
          now: T0,
        });

        expect([first, second]).to.deep.equal([true, false]);
        expect((await repo.get(videoId))?.ownerId).to.equal('user-1');
      });
    });

    describe('readiness', () => {
      it('becomes READY once every fact is recorded, and only one caller makes the transition', async () => {
        const videoId = await claimed();
        await recordEveryFact(videoId);

        const results = await Promise.all([
          repo.tryMarkReady(videoId, later(9)),
          repo.tryMarkReady(videoId, later(9)),
        ]);

        expect(results.filter(Boolean)).to.have.length(1);
        const video = await repo.get(videoId);
        expect(video?.status).to.equal('READY');
        expect(video?.outputs).to.deep.equal([
          {
            rendition: '1080p',
            key: renditionKey(videoId, '1080p'),
            width: 1920,
            height: 1080,
            public: true,
          },
          { rendition: '720p', key: renditionKey(videoId, '720p'), width: 1280, height: 720, public: true },
          {
            rendition: 'web-720p',
            key: renditionKey(videoId, 'web-720p'),
            width: 1280,
            height: 720,
            public: true,
          },
        ]);
        expect(video?.metadata).to.deep.equal(PROBES['1080p']);
      });

      const facts = [
        'jobComplete',
        ...RENDITIONS.flatMap((r) => [`renditions.${r}`, `permissions.${r}`, `probes.${r}`]),
      ];
      for (const missing of facts) {
        it(`is not READY while ${missing} is missing`, async () => {
          const videoId = await claimed();
          await recordEveryFact(videoId, missing);

          const ready = await repo.tryMarkReady(videoId, later(9));

          expect(ready).to.equal(false);
          expect((await repo.get(videoId))?.status).to.equal('TRANSCODING');
        });
      }

      it('is not READY when the video was never claimed', async () => {
        expect(await repo.tryMarkReady(nextId(), T0)).to.equal(false);
      });
    });

    describe('the rendition ladder', () => {
      const ladders: readonly (readonly Rendition[])[] = [
        ['web-720p'],
        ['720p', 'web-720p'],
        ['1080p', '720p', 'web-720p'],
      ];

      for (const ladder of ladders) {
        it(`becomes READY on the facts of its own ladder of ${ladder.length} (${ladder.join(', ')}), and refuses the others`, async () => {
          const videoId = await claimed();
          expect(await repo.recordLadder(videoId, 'request-1', ladder, later(1))).to.deep.equal(ladder);
          const others = RENDITIONS.filter((r) => !ladder.includes(r));

          const recorded = await recordFactsOf(videoId, ladder);
          const refused = await Promise.all(
            others.flatMap((r) => [
              repo.recordRendition(videoId, r, renditionKey(videoId, r), later(8)),
              repo.recordPermission(
                videoId,
                r,
                { key: renditionKey(videoId, r), visibility: 'public' },
                later(8),
              ),
              repo.recordProbe(videoId, r, PROBES[r], later(8), { highest: false }),
            ]),
          );
          const ready = await repo.tryMarkReady(videoId, later(9));

          expect(recorded.every(Boolean)).to.equal(true);
          expect(refused.some(Boolean)).to.equal(false);
          expect(ready).to.equal(true);
          const video = await repo.get(videoId);
          expect(video?.status).to.equal('READY');
          expect(video?.expectedRenditions).to.deep.equal(ladder);
          expect(video?.outputs.map((o) => o.rendition)).to.deep.equal(ladder);
          expect(Object.keys(video?.permissions ?? {}).sort()).to.deep.equal([...ladder].sort());
          expect(video?.metadata).to.deep.equal(PROBES[ladder[0] as Rendition]);
        });

        for (const missing of [
          'jobComplete',
          ...ladder.flatMap((r) => [`rendition:${r}`, `permission:${r}`, `probe:${r}`]),
        ]) {
          it(`is not READY with a ladder of ${ladder.length} while ${missing} is missing`, async () => {
            const videoId = await claimed();
            await repo.recordLadder(videoId, 'request-1', ladder, later(1));
            if (missing !== 'jobComplete') await repo.recordJobCompleted(videoId, {}, later(5));
            for (const r of ladder) {
              if (missing !== `rendition:${r}`)
                await repo.recordRendition(videoId, r, renditionKey(videoId, r), later(6));
              if (missing !== `permission:${r}`)
                await repo.recordPermission(
                  videoId,
                  r,
                  { key: renditionKey(videoId, r), visibility: 'public' },
                  later(7),
                );
              if (missing !== `probe:${r}`)
                await repo.recordProbe(videoId, r, PROBES[r], later(8), { highest: false });
            }

            expect(await repo.tryMarkReady(videoId, later(9))).to.equal(false);
            expect((await repo.get(videoId))?.status).to.equal('TRANSCODING');
          });
        }
      }

      it('waits for every rendition on an item without a ladder (claimed before ladders)', async () => {
        const videoId = await claimed();
        await recordFactsOf(videoId, ['web-720p']);

        expect(await repo.tryMarkReady(videoId, later(9))).to.equal(false);
        expect((await repo.get(videoId))?.expectedRenditions).to.equal(undefined);
      });

      it('keeps the first ladder recorded, only for the holder of a claim without a job', async () => {
        const videoId = await claimed();

        const first = await repo.recordLadder(videoId, 'request-1', ['web-720p'], later(1));
        const again = await repo.recordLadder(videoId, 'request-1', RENDITIONS, later(2));
        const stranger = await repo.recordLadder(videoId, 'request-2', RENDITIONS, later(2));
        await repo.recordJobStarted(videoId, 'job-1', later(3));
        const afterJob = await repo.recordLadder(videoId, 'request-1', RENDITIONS, later(4));

        expect(first).to.deep.equal(['web-720p']);
        expect(again).to.deep.equal(['web-720p']);
        expect(stranger).to.equal(undefined);
        expect(afterJob).to.equal(undefined);
        expect((await repo.get(videoId))?.expectedRenditions).to.deep.equal(['web-720p']);
      });

      it('gives the recorded ladder to the retry that resumes a claim, the invocation that takes it over and the replacement job', async () => {
        const videoId = await claimed();
        await repo.recordLadder(videoId, 'request-1', ['720p', 'web-720p'], later(1));

        const resumed = await claimAs(videoId, 'request-1');
        const takenOver = await repo.claim({
          videoId,
          source: SOURCE,
          transcoder: 'mediaconvert',
          now: later(1000),
          holder: holder('request-2', later(2000)),
        });
        await repo.recordJobStarted(videoId, 'job-1', later(1001));
        const replaced = await repo.retryJob({
          videoId,
          failedJobId: 'job-1',
          holder: holder('status-1', later(2000)),
          maxAttempts: 3,
          now: later(1002),
        });

        expect(resumed).to.deep.equal({ kind: 'resumed', attempt: 1, renditions: ['720p', 'web-720p'] });
        expect(takenOver).to.deep.equal({ kind: 'taken-over', attempt: 1, renditions: ['720p', 'web-720p'] });
        expect(replaced).to.deep.equal({ kind: 'new', attempt: 2, renditions: ['720p', 'web-720p'] });
      });
    });

    describe('replacing a job the transcoder failed', () => {
      const retry = (videoId: string, token: string, failedJobId = 'job-1') =>
        repo.retryJob({
          videoId,
          failedJobId,
          holder: holder(token, later(900)),
          maxAttempts: 3,
          now: later(20),
        });

      it('retires the failed job and claims the next attempt once, however often the failure is reported', async () => {
        const videoId = await claimed();
        await repo.recordJobStarted(videoId, 'job-1', later(1));

        const results = await Promise.all([retry(videoId, 'status-1'), retry(videoId, 'status-2')]);

        expect(results.filter(Boolean)).to.deep.equal([{ kind: 'new', attempt: 2 }]);
        expect(await repo.get(videoId)).to.deep.include({
          status: 'TRANSCODING',
          jobAttempt: 2,
          retiredJobIds: ['job-1'],
        });
        expect((await repo.get(videoId))?.jobId).to.equal(undefined);
      });

      it('gives the replacement back to the invocation that made it, and refuses the retired job’s late states', async () => {
        const videoId = await claimed();
        await repo.recordJobStarted(videoId, 'job-1', later(1));
        await retry(videoId, 'status-1');

        const resumed = await retry(videoId, 'status-1');
        const stranger = await retry(videoId, 'status-2');
        const lateStates = [
          await repo.recordJobStarted(videoId, 'job-1', later(21)),
          await repo.recordJobCompleted(videoId, { jobId: 'job-1' }, later(21)),
          await repo.recordFailed(videoId, { errorCode: '1999', reason: 'late', jobId: 'job-1' }, later(21)),
        ];
        const next = await repo.recordJobStarted(videoId, 'job-2', later(22));

        expect(resumed).to.deep.equal({ kind: 'resumed', attempt: 2 });
        expect(stranger).to.equal(undefined);
        expect(lateStates).to.deep.equal([false, false, false]);
        expect(next).to.equal(true);
        expect(await repo.get(videoId)).to.deep.include({ status: 'TRANSCODING', jobId: 'job-2' });
      });

      it('stops at the last attempt', async () => {
        const videoId = await claimed();
        await repo.recordJobStarted(videoId, 'job-1', later(1));
        await retry(videoId, 'status-1', 'job-1');
        await repo.recordJobStarted(videoId, 'job-2', later(2));
        await retry(videoId, 'status-2', 'job-2');
        await repo.recordJobStarted(videoId, 'job-3', later(3));

        expect(await retry(videoId, 'status-3', 'job-3')).to.equal(undefined);
        expect(await repo.get(videoId)).to.deep.include({ jobAttempt: 3, jobId: 'job-3' });
      });

      it('keeps a FAILED video’s outputs untracked: recordPermission refuses it', async () => {
        const videoId = await claimed();
        await repo.recordFailed(videoId, { errorCode: '1999', reason: 'x' }, later(1));

        expect(
          await repo.recordPermission(
            videoId,
            '720p',
            { key: renditionKey(videoId, '720p'), visibility: 'public' },
            later(2),
          ),
        ).to.equal(false);
      });
    });

    describe('what the reconciler lists', () => {
      it('lists one status created before a time, oldest first, paged', async () => {
        const status = 'UPLOADED';
        const ids: string[] = [];
        for (let i = 0; i < 3; i++) {
          const videoId = nextId();
          ids.push(videoId);
          await repo.recordUpload({
            videoId,
            ownerId: 'lister',
            source: SOURCE,
            visibility: 'public',
            now: new Date(Date.UTC(2001, 0, 1, 0, i)),
          });
        }

        const first = await repo.listCreatedBefore(status, new Date(Date.UTC(2001, 0, 1, 0, 2)), {
          limit: 1,
        });
        const second = await repo.listCreatedBefore(status, new Date(Date.UTC(2001, 0, 1, 0, 2)), {
          limit: 1,
          ...(first.cursor && { cursor: first.cursor }),
        });

        expect(first.items.map((v) => v.videoId)).to.deep.equal([ids[0]]);
        expect(second.items.map((v) => v.videoId)).to.deep.equal([ids[1]]);
        expect(second.cursor).to.equal(undefined);
      });

      it('lists the tombstones deleted before a time whose purge was never recorded', async () => {
        const add = async (deletedAt: Date) => {
          const videoId = nextId();
          await repo.recordUpload({
            videoId,
            ownerId: 'tomb',
            source: SOURCE,
            visibility: 'public',
            now: new Date(Date.UTC(2002, 0, 1)),
          });
          await repo.recordDeletion({ videoId, ownerId: 'tomb', now: deletedAt, expiresAt: 99 });
          return videoId;
        };
        const unpurged = await add(new Date(Date.UTC(2002, 0, 2)));
        const purged = await add(new Date(Date.UTC(2002, 0, 2)));
        await repo.markPurged(purged, new Date(Date.UTC(2002, 0, 3)));
        const recent = await add(new Date(Date.UTC(2002, 0, 9)));

        const page = await repo.listUnpurgedTombstones(new Date(Date.UTC(2002, 0, 5)), { limit: 100 });
        const ids = page.items.map((v) => v.videoId);

        expect(ids).to.include(unpurged);
        expect(ids).not.to.include.members([purged, recent]);
      });
    });

    describe('transitions never move backwards', () => {
      it('ignores late progress and late facts after READY', async () => {
        const videoId = await claimed();
        await recordEveryFact(videoId);
        await repo.tryMarkReady(videoId, later(9));

        const results = [
          await repo.recordProgress(videoId, 40, later(10)),
          await repo.recordFailed(videoId, { errorCode: '4000', reason: 'late' }, later(10)),
          await repo.recordRendition(videoId, '720p', 'elsewhere.mp4', later(10)),
          (await claimAs(videoId, 'request-1', later(10))) !== undefined,
          await repo.recordRejected({
            videoId,
            source: SOURCE,
            errorCode: 'X',
            reason: 'late',
            now: later(10),
          }),
        ];

        expect(results).to.deep.equal([false, false, false, false, false]);
        const video = await repo.get(videoId);
        expect(video).to.deep.include({ status: 'READY', progress: 100, updatedAt: later(9).toISOString() });
        expect(video?.outputs[1]?.key).to.equal(renditionKey(videoId, '720p'));
      });

      it('keeps FAILED with its reason against late facts and readiness', async () => {
        const videoId = await claimed();
        await repo.recordFailed(
          videoId,
          { errorCode: '4000', reason: 'The input is not a video.' },
          later(2),
        );

        await recordEveryFact(videoId);
        const ready = await repo.tryMarkReady(videoId, later(9));

        expect(ready).to.equal(false);
        expect(await repo.get(videoId)).to.deep.include({
          status: 'FAILED',
          errorCode: '4000',
          reason: 'The input is not a video.',
          jobComplete: false,
          outputs: [],
        });
      });

      it("ignores another job's late error or completion once the video's job id is stored", async () => {
        const videoId = await claimed();
        await repo.recordJobStarted(videoId, 'job-2', later(1));

        const failed = await repo.recordFailed(
          videoId,
          { errorCode: 'E', reason: 'stray job', jobId: 'job-1' },
          later(2),
        );
        const completed = await repo.recordJobCompleted(videoId, { jobId: 'job-1' }, later(3));
        const own = await repo.recordJobCompleted(videoId, { jobId: 'job-2' }, later(4));

        expect([failed, completed, own]).to.deep.equal([false, false, true]);
        expect(await repo.get(videoId)).to.deep.include({ status: 'TRANSCODING', jobComplete: true });
      });

      it('accepts a job state that arrives before its job id is stored', async () => {
        const videoId = await claimed();

        const failed = await repo.recordFailed(
          videoId,
          { errorCode: 'E', reason: 'fast failure', jobId: 'job-1' },
          later(1),
        );

        expect(failed).to.equal(true);
        expect((await repo.get(videoId))?.status).to.equal('FAILED');
      });

      it('never lowers progress', async () => {
        const videoId = await claimed();

        await repo.recordProgress(videoId, 60, later(1));
        const lower = await repo.recordProgress(videoId, 30, later(2));

        expect(lower).to.equal(false);
        expect((await repo.get(videoId))?.progress).to.equal(60);
      });

      it('rejects only new or UPLOADED videos, recording the reason', async () => {
        const fresh = nextId();
        const uploaded = nextId();
        await repo.recordUpload({
          videoId: uploaded,
          ownerId: 'user-1',
          source: SOURCE,
          visibility: 'public',
          now: T0,
        });
        const transcoding = await claimed();
        const reject = (videoId: string) =>
          repo.recordRejected({
            videoId,
            source: SOURCE,
            errorCode: 'EMPTY_FILE',
            reason: 'empty',
            now: later(1),
          });

        const results = [await reject(fresh), await reject(uploaded), await reject(transcoding)];

        expect(results).to.deep.equal([true, true, false]);
        expect(await repo.get(fresh)).to.deep.include({
          status: 'REJECTED',
          errorCode: 'EMPTY_FILE',
          reason: 'empty',
        });
        expect((await repo.get(uploaded))?.ownerId).to.equal('user-1');
        expect((await repo.get(fresh))?.source).to.deep.equal(SOURCE);
        expect((await repo.get(transcoding))?.status).to.equal('TRANSCODING');
      });

      it('records the job id once, even after the video is READY', async () => {
        const videoId = await claimed();
        await recordEveryFact(videoId);
        await repo.tryMarkReady(videoId, later(9));

        const first = await repo.recordJobStarted(videoId, 'job-1', later(10));
        const other = await repo.recordJobStarted(videoId, 'job-2', later(11));

        expect([first, other]).to.deep.equal([true, false]);
        expect(await repo.get(videoId)).to.deep.include({ status: 'READY', jobId: 'job-1' });
      });

      it('stores no undefined attributes (no audio codec)', async () => {
        const videoId = await claimed();
        const { audioCodec: _, ...silent } = PROBES['1080p'];

        expect(await repo.recordProbe(videoId, '1080p', silent, later(1), { highest: true })).to.equal(true);

        const { Item } = await table.documentClient.send(
          new GetCommand({ TableName: table.tableName, Key: { videoId } }),
        );
        expect(Item?.metadata).to.deep.equal(silent);
        expect(Item?.probes).to.deep.equal({ '1080p': silent });
      });
    });

    describe("the owner's operations", () => {
      async function uploaded(visibility: 'public' | 'private' = 'public'): Promise<string> {
        const videoId = nextId();
        expect(
          await repo.recordUpload({ videoId, ownerId: 'user-1', source: SOURCE, visibility, now: T0 }),
        ).to.equal(true);
        return videoId;
      }

      it('keeps the visibility of an upload through the claim', async () => {
        const videoId = await uploaded('private');

        await claimAs(videoId, 'request-1', later(1));

        expect((await repo.get(videoId))?.visibility).to.equal('private');
      });

      it('makes an upload that did not come through the API public', async () => {
        const videoId = await claimed();

        expect((await repo.get(videoId))?.visibility).to.equal('public');
      });

      it("updates the owner's details and returns the new video; an empty description removes it", async () => {
        const videoId = await uploaded();

        const first = await repo.updateDetails({
          videoId,
          ownerId: 'user-1',
          patch: { title: 'Été à la mer 🌊', description: 'Line one\nLine two', visibility: 'private' },
          now: later(1),
        });
        const second = await repo.updateDetails({
          videoId,
          ownerId: 'user-1',
          patch: { description: '' },
          now: later(2),
        });

        expect(first).to.deep.include({
          title: 'Été à la mer 🌊',
          description: 'Line one\nLine two',
          visibility: 'private',
          updatedAt: later(1).toISOString(),
        });
        expect(second).to.deep.include({ title: 'Été à la mer 🌊', visibility: 'private' });
        expect(second).not.to.have.property('description');
        expect(await repo.get(videoId)).to.deep.equal(second);
      });

      it('refuses details from anyone but the owner, and for a video that does not exist', async () => {
        const videoId = await uploaded();

        const other = await repo.updateDetails({
          videoId,
          ownerId: 'user-2',
          patch: { title: 'x' },
          now: later(1),
        });
        const missing = await repo.updateDetails({
          videoId: nextId(),
          ownerId: 'user-1',
          patch: { title: 'x' },
          now: later(1),
        });

        expect([other, missing]).to.deep.equal([undefined, undefined]);
        expect((await repo.get(videoId))?.title).to.equal(undefined);
        expect(
          await table.documentClient.send(
            new GetCommand({ TableName: table.tableName, Key: { videoId: nextId() } }),
          ),
        ).not.to.have.property('Item');
      });

      it('records a permission only while the visibility it applied is the video’s', async () => {
        const videoId = await claimed();
        const applied = (visibility: 'public' | 'private') => ({
          key: renditionKey(videoId, '720p'),
          visibility,
        });

        const stale = await repo.recordPermission(videoId, '720p', applied('private'), later(1));
        const current = await repo.recordPermission(videoId, '720p', applied('public'), later(2));

        expect([stale, current]).to.deep.equal([false, true]);
        expect((await repo.get(videoId))?.permissions).to.deep.equal({ '720p': applied('public') });
      });

      it('records permissions on a READY video too, so a switch re-tags what exists', async () => {
        const videoId = await claimed();
        await recordEveryFact(videoId);
        await repo.tryMarkReady(videoId, later(9));

        const recorded = await repo.recordPermission(
          videoId,
          'poster',
          { key: `videos/${videoId}/poster.0000000.jpg`, visibility: 'public' },
          later(10),
        );

        expect(recorded).to.equal(true);
        expect((await repo.get(videoId))?.status).to.equal('READY');
      });

      it('turns a video into a tombstone once, only for its owner, keeping what the purge needs', async () => {
        const videoId = await uploaded();
        await claimAs(videoId, 'request-1', later(1));
        await repo.recordJobStarted(videoId, 'job-1', later(2));
        await repo.updateDetails({ videoId, ownerId: 'user-1', patch: { title: 'Secret' }, now: later(3) });

        const byOther = await repo.recordDeletion({
          videoId,
          ownerId: 'user-2',
          now: later(4),
          expiresAt: 99,
        });
        const byOwner = await repo.recordDeletion({
          videoId,
          ownerId: 'user-1',
          now: later(4),
          expiresAt: 99,
        });
        const again = await repo.recordDeletion({
          videoId,
          ownerId: 'user-1',
          now: later(5),
          expiresAt: 100,
        });

        expect([byOther, byOwner, again]).to.deep.equal([false, true, false]);
        const { Item } = await table.documentClient.send(
          new GetCommand({ TableName: table.tableName, Key: { videoId } }),
        );
        expect(Item).to.deep.equal({
          videoId,
          status: 'DELETED',
          createdAt: T0.toISOString(),
          updatedAt: later(4).toISOString(),
          deletedAt: later(4).toISOString(),
          expiresAt: 99,
          ownerId: 'user-1',
          source: { bucket: SOURCE.bucket, key: SOURCE.key, size: SOURCE.size },
          visibility: 'public',
          transcoder: 'mediaconvert',
          jobId: 'job-1',
          jobComplete: false,
          claimedAt: later(1).toISOString(),
          claimToken: 'request-1',
          leaseUntil: later(900).toISOString(),
          jobAttempt: 1,
        });
      });

      it('refuses every pipeline write to a tombstone, so no late event changes it or brings it back', async () => {
        const videoId = await uploaded();
        await repo.recordDeletion({ videoId, ownerId: 'user-1', now: later(1), expiresAt: 99 });
        const before = await repo.get(videoId);

        const results = [
          await repo.recordUpload({
            videoId,
            ownerId: 'user-1',
            source: SOURCE,
            visibility: 'public',
            now: later(2),
          }),
          await repo.recordRejected({
            videoId,
            source: SOURCE,
            errorCode: 'X',
            reason: 'late',
            now: later(2),
          }),
          (await claimAs(videoId, 'request-1', later(2))) !== undefined,
          (await claimAs(videoId, 'request-1', new Date(later(2).getTime() + 2 * STALE_CLAIM_MS))) !==
            undefined,
          await repo.releaseLease(videoId, 'request-1'),
          (await repo.retryJob({
            videoId,
            failedJobId: 'job-1',
            holder: holder(),
            maxAttempts: 3,
            now: later(2),
          })) !== undefined,
          await repo.recordJobStarted(videoId, 'job-late', later(2)),
          await repo.recordProgress(videoId, 50, later(2)),
          await repo.recordJobCompleted(videoId, { posterKey: 'videos/x/poster.jpg' }, later(2)),
          await repo.recordFailed(videoId, { errorCode: '1', reason: 'late' }, later(2)),
          await repo.recordRendition(videoId, '720p', renditionKey(videoId, '720p'), later(2)),
          await repo.recordPermission(
            videoId,
            '720p',
            { key: renditionKey(videoId, '720p'), visibility: 'public' },
            later(2),
          ),
          await repo.recordProbe(videoId, '720p', PROBES['720p'], later(2), { highest: false }),
          await repo.tryMarkReady(videoId, later(2)),
          (await repo.updateDetails({
            videoId,
            ownerId: 'user-1',
            patch: { title: 'back' },
            now: later(2),
          })) !== undefined,
        ];

        expect(results).to.deep.equal(Array(results.length).fill(false));
        expect(await repo.get(videoId)).to.deep.equal(before);
      });

      it('marks a tombstone purged once, and never a video that is not deleted', async () => {
        const deleted = await uploaded();
        const alive = await uploaded();
        await repo.recordDeletion({ videoId: deleted, ownerId: 'user-1', now: later(1), expiresAt: 99 });

        const results = [
          await repo.markPurged(deleted, later(2)),
          await repo.markPurged(deleted, later(3)),
          await repo.markPurged(alive, later(2)),
        ];

        expect(results).to.deep.equal([true, false, false]);
        expect((await repo.get(deleted))?.purgedAt).to.equal(later(2).toISOString());
        expect((await repo.get(alive))?.purgedAt).to.equal(undefined);
      });

      it('lists an owner without tombstones and the catalogue without private videos', async () => {
        const owner = `owner-${nextId()}`;
        const add = async (visibility: 'public' | 'private', i: number) => {
          const videoId = nextId();
          await repo.recordUpload({
            videoId,
            ownerId: owner,
            source: SOURCE,
            visibility,
            now: later(100 + i),
          });
          await claimAs(videoId, 'request-1', later(100 + i));
          await recordEveryFact(videoId);
          await repo.tryMarkReady(videoId, later(110));
          return videoId;
        };
        const publicId = await add('public', 0);
        const privateId = await add('private', 1);
        const deletedId = await add('public', 2);
        await repo.recordDeletion({ videoId: deletedId, ownerId: owner, now: later(120), expiresAt: 99 });

        const mine = await repo.listByOwner(owner, { limit: 10 });
        const catalogue = await repo.listCatalogue({ limit: 1000 });

        expect(mine.items.map((v) => v.videoId)).to.deep.equal([privateId, publicId]);
        const listed = catalogue.items.map((v) => v.videoId);
        expect(listed).to.include(publicId);
        expect(listed).not.to.include.members([privateId]);
        expect(listed).not.to.include.members([deletedId]);
      });
    });

    describe('listing', () => {
      it('pages through one owner newest first with opaque cursors and no empty last page', async () => {
        const owner = `owner-${nextId()}`;
        const ids: string[] = [];
        for (let i = 0; i < 7; i++) {
          const videoId = nextId();
          ids.push(videoId);
          await repo.recordUpload({
            videoId,
            ownerId: owner,
            source: SOURCE,
            visibility: 'public',
            now: later(i),
          });
        }

        const seen: string[] = [];
        const cursors: (string | undefined)[] = [];
        let cursor: string | undefined;
        do {
          const page = await repo.listByOwner(owner, { limit: 3, ...(cursor ? { cursor } : {}) });
          seen.push(...page.items.map((v) => v.videoId));
          cursor = page.cursor;
          cursors.push(cursor);
        } while (cursor);

        expect(seen).to.deep.equal([...ids].reverse());
        expect(cursors.map((c) => c !== undefined)).to.deep.equal([true, true, false]);
        for (const c of cursors.filter((x) => x !== undefined)) expect(c).to.match(/^[A-Za-z0-9_-]+$/);
      });

      it('lists by status newest first, only that status', async () => {
        const ready: string[] = [];
        for (let i = 0; i < 2; i++) {
          const videoId = await claimed();
          await recordEveryFact(videoId);
          await repo.tryMarkReady(videoId, later(20 + i));
          ready.push(videoId);
        }

        const page = await repo.listByStatus('READY', { limit: 100 });

        expect(page.items.every((v) => v.status === 'READY')).to.equal(true);
        expect(page.items.map((v) => v.videoId)).to.include.members(ready);
        expect(page.cursor).to.equal(undefined);
      });

      it('rejects a cursor from another owner with InvalidCursorError', async () => {
        const owner = `owner-${nextId()}`;
        for (let i = 0; i < 2; i++) {
          await repo.recordUpload({
            videoId: nextId(),
            ownerId: owner,
            source: SOURCE,
            visibility: 'public',
            now: later(i),
          });
        }
        const page = await repo.listByOwner(owner, { limit: 1 });
        if (!page.cursor) throw new Error('expected a cursor');

        const error = await repo
          .listByOwner('someone-else', { limit: 1, cursor: page.cursor })
          .catch((e) => e);

        expect(error).to.be.instanceOf(InvalidCursorError);
      });
    });
  });
});
