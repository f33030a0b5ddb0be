import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { type AwsStub, mockClient } from 'aws-sdk-client-mock';
import { expect } from 'chai';
import {
  DynamoVideoRepository,
  InvalidCursorError,
  MAX_FILTERED_QUERIES,
  type MediaMetadata,
  type VideoSource,
} from '#shared/store';
import { holder } from '../../support/pipeline-fakes.ts';

const TABLE = 'videos-test';
const VIDEO_ID = 'AbCdEfGhIjKlMnOpQrStUv';
const NOW = new Date('2026-11-24T10:00:00.000Z');
const ISO = NOW.toISOString();
const SOURCE: VideoSource = {
  bucket: 'uploads',
  key: 'uploads/user-1/AbCdEfGhIjKlMnOpQrStUv/my holiday videoé + more.mov',
  filename: 'my holiday videoé + more.mov',
  size: 5242880,
};
const METADATA: MediaMetadata = {
  durationSeconds: 10,
  width: 1920,
  height: 1080,
  rotation: 0,
  videoCodec: 'h264',
  audioCodec: 'aac',
  bitRate: 5_000_000,
  size: 6_250_000,
  frameRate: 25,
};

const APPLIED = { key: `videos/${VIDEO_ID}/720p.mp4`, visibility: 'public' } as const;
const LEASE = new Date('2026-11-24T10:15:05.000Z');

function conditionFailed(): ConditionalCheckFailedException {
  return new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });
}

describe('unit', () => {
  describe('DynamoVideoRepository', () => {
    // biome-ignore lint/suspicious/noExplicitAny: aws-sdk-client-mock's stub type is generic over every command.
    let ddb: AwsStub<any, any, any>;
    let repo: DynamoVideoRepository;

    beforeEach(() => {
      const client = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));
      // No `{ sandbox }`: aws-sdk-client-mock bundles sinon 18, and a sinon 22 sandbox breaks its `on()` matching.
      ddb = mockClient(client);
      ddb.on(UpdateCommand).resolves({});
      ddb.on(PutCommand).resolves({});
      repo = new DynamoVideoRepository(client, TABLE);
    });

    afterEach(() => {
      ddb.restore();
    });

    function onlyUpdateInput() {
      const calls = ddb.commandCalls(UpdateCommand);
      expect(calls).to.have.length(1);
      return calls[0]?.args[0].input;
    }

    describe('conditional writes', () => {
      it('returns false when the condition fails', async () => {
        ddb.on(UpdateCommand).rejects(conditionFailed());

        const result = await repo.recordPermission(VIDEO_ID, '720p', APPLIED, NOW);

        expect(result).to.equal(false);
      });

      it('rethrows any other error, such as throttling, for Lambda to retry', async () => {
        const throttled = Object.assign(new Error('Rate exceeded'), {
          name: 'ProvisionedThroughputExceededException',
        });
        ddb.on(UpdateCommand).rejects(throttled);

        const error = await repo.recordPermission(VIDEO_ID, '720p', APPLIED, NOW).catch((e: unknown) => e);

        expect(error).to.equal(throttled);
      });

      it('also recognises a condition failure by name (another SDK copy)', async () => {
        ddb
          .on(PutCommand)
          .rejects(Object.assign(new Error('failed'), { name: 'ConditionalCheckFailedException' }));

        const result = await repo.recordUpload({
          videoId: VIDEO_ID,
          ownerId: 'user-1',
          source: SOURCE,
          visibility: 'public',
          now: NOW,
        });

        expect(result).to.equal(false);
      });
    });

    describe('command inputs', () => {
      it('recordUpload puts an UPLOADED item with its visibility only when the id is new', async () => {
        const result = await repo.recordUpload({
          videoId: VIDEO_ID,
          ownerId: 'user-1',
          source: SOURCE,
          visibility: 'private',
          now: NOW,
        });

        expect(result).to.equal(true);
        expect(ddb.commandCalls(PutCommand)[0]?.args[0].input).to.deep.equal({
          TableName: TABLE,
          Item: {
            videoId: VIDEO_ID,
            status: 'UPLOADED',
            createdAt: ISO,
            updatedAt: ISO,
            ownerId: 'user-1',
            source: SOURCE,
            visibility: 'private',
            jobComplete: false,
            permissions: {},
          },
          ConditionExpression: 'attribute_not_exists(#videoId)',
          ExpressionAttributeNames: { '#videoId': 'videoId' },
        });
      });

      it('claim moves a new or UPLOADED video to TRANSCODING for its invocation, public unless it says otherwise, and creates the fact maps', async () => {
        const claim = await repo.claim({
          videoId: VIDEO_ID,
          source: SOURCE,
          transcoder: 'mediaconvert',
          now: NOW,
          holder: holder('request-1', LEASE),
        });

        expect(claim).to.deep.equal({ kind: 'new', attempt: 1 });
        expect(onlyUpdateInput()).to.deep.equal({
          TableName: TABLE,
          Key: { videoId: VIDEO_ID },
          UpdateExpression:
            'SET #status = :transcoding, #source = if_not_exists(#source, :source), #transcoder = :transcoder, ' +
            '#createdAt = if_not_exists(#createdAt, :now), #updatedAt = :now, #jobComplete = :false, #progress = :zero, ' +
            '#visibility = if_not_exists(#visibility, :visibility), ' +
            '#renditions = if_not_exists(#renditions, :empty), #permissions = if_not_exists(#permissions, :empty), ' +
            '#probes = if_not_exists(#probes, :empty), #claimedAt = :now, #claimToken = :token, #leaseUntil = :lease, ' +
            '#jobAttempt = if_not_exists(#jobAttempt, :one)',
          ConditionExpression:
            'attribute_not_exists(#videoId) OR #status = :uploaded OR ' +
            '(#status = :transcoding AND attribute_not_exists(#jobId) AND (#claimToken = :token OR #leaseUntil < :now OR ' +
            '(attribute_not_exists(#leaseUntil) AND #claimedAt < :staleBefore)))',
          ExpressionAttributeNames: {
            '#status': 'status',
            '#source': 'source',
            '#transcoder': 'transcoder',
            '#createdAt': 'createdAt',
            '#updatedAt': 'updatedAt',
            '#jobComplete': 'jobComplete',
            '#progress': 'progress',
            '#visibility': 'visibility',
            '#renditions': 'renditions',
            '#permissions': 'permissions',
            '#probes': 'probes',
            '#claimedAt': 'claimedAt',
            '#claimToken': 'claimToken',
            '#leaseUntil': 'leaseUntil',
            '#jobAttempt': 'jobAttempt',
            '#videoId': 'videoId',
            '#jobId': 'jobId',
          },
          ExpressionAttributeValues: {
            ':transcoding': 'TRANSCODING',
            ':uploaded': 'UPLOADED',
            ':source': SOURCE,
            ':transcoder': 'mediaconvert',
            ':visibility': 'public',
            ':now': ISO,
            ':false': false,
            ':zero': 0,
            ':one': 1,
            ':empty': {},
            ':token': 'request-1',
            ':lease': LEASE.toISOString(),
            ':staleBefore': new Date(NOW.getTime() - 30 * 60 * 1000).toISOString(),
          },
          ReturnValues: 'ALL_OLD',
        });
      });

      it('claim tells a resumed claim (same invocation) from one taken over, with the attempt it is for', async () => {
        ddb
          .on(UpdateCommand)
          .resolvesOnce({
            Attributes: { videoId: VIDEO_ID, status: 'TRANSCODING', claimToken: 'request-1', jobAttempt: 2 },
          })
          .resolvesOnce({
            Attributes: { videoId: VIDEO_ID, status: 'TRANSCODING', claimToken: 'request-0' },
          });
        const input = { videoId: VIDEO_ID, source: SOURCE, transcoder: 'mediaconvert' as const, now: NOW };

        const resumed = await repo.claim({ ...input, holder: holder('request-1', LEASE) });
        const takenOver = await repo.claim({ ...input, holder: holder('request-1', LEASE) });

        expect([resumed, takenOver]).to.deep.equal([
          { kind: 'resumed', attempt: 2 },
          { kind: 'taken-over', attempt: 1 },
        ]);
      });

      it('claim resolves to undefined when the condition fails', async () => {
        ddb.on(UpdateCommand).rejects(conditionFailed());

        expect(
          await repo.claim({
            videoId: VIDEO_ID,
            source: SOURCE,
            transcoder: 'mediaconvert',
            now: NOW,
            holder: holder(),
          }),
        ).to.equal(undefined);
      });

      it('claim records the upload version with the source, so a delete removes exactly it', async () => {
        await repo.claim({
          videoId: VIDEO_ID,
          source: { ...SOURCE, versionId: 'v-1' },
          transcoder: 'mediaconvert',
          now: NOW,
          holder: holder(),
        });

        expect(onlyUpdateInput()?.ExpressionAttributeValues?.[':source']).to.deep.equal({
          ...SOURCE,
          versionId: 'v-1',
        });
      });

      it('claim leaves out an unknown source size instead of writing undefined', async () => {
        const { size: _, ...noSize } = SOURCE;

        await repo.claim({
          videoId: VIDEO_ID,
          source: noSize,
          transcoder: 'mediaconvert',
          now: NOW,
          holder: holder(),
        });

        expect(onlyUpdateInput()?.ExpressionAttributeValues?.[':source']).to.deep.equal(noSize);
      });

      it('recordRejected only creates or moves an UPLOADED video', async () => {
        await repo.recordRejected({
          videoId: VIDEO_ID,
          source: SOURCE,
          errorCode: 'TOO_LARGE',
          reason: 'too large',
          now: NOW,
        });

        expect(onlyUpdateInput()).to.deep.equal({
          TableName: TABLE,
          Key: { videoId: VIDEO_ID },
          UpdateExpression:
            'SET #status = :rejected, #source = if_not_exists(#source, :source), #errorCode = :errorCode, #reason = :reason, ' +
            '#createdAt = if_not_exists(#createdAt, :now), #updatedAt = :now, #jobComplete = if_not_exists(#jobComplete, :false)',
          ConditionExpression: 'attribute_not_exists(#videoId) OR #status = :uploaded',
          ExpressionAttributeNames: {
            '#status': 'status',
            '#source': 'source',
            '#errorCode': 'errorCode',
            '#reason': 'reason',
            '#createdAt': 'createdAt',
            '#updatedAt': 'updatedAt',
            '#jobComplete': 'jobComplete',
            '#videoId': 'videoId',
          },
          ExpressionAttributeValues: {
            ':rejected': 'REJECTED',
            ':uploaded': 'UPLOADED',
            ':source': SOURCE,
            ':errorCode': 'TOO_LARGE',
            ':reason': 'too large',
            ':now': ISO,
            ':false': false,
          },
        });
      });

      it('releaseLease ends the lease of a claim without a job that the token holds', async () => {
        await repo.releaseLease(VIDEO_ID, 'request-1');

        expect(onlyUpdateInput()).to.deep.equal({
          TableName: TABLE,
          Key: { videoId: VIDEO_ID },
          UpdateExpression: 'SET #leaseUntil = :released',
          ConditionExpression:
            '#status = :transcoding AND attribute_not_exists(#jobId) AND #claimToken = :token',
          ExpressionAttributeNames: {
            '#leaseUntil': 'leaseUntil',
            '#status': 'status',
            '#jobId': 'jobId',
            '#claimToken': 'claimToken',
          },
          ExpressionAttributeValues: {
            ':released': '1970-01-01T00:00:00.000Z',
            ':transcoding': 'TRANSCODING',
            ':token': 'request-1',
          },
        });
      });

      it('retryJob retires the failed job and claims attempt n + 1 while attempts remain', async () => {
        ddb
          .on(UpdateCommand)
          .resolves({ Attributes: { videoId: VIDEO_ID, status: 'TRANSCODING', jobAttempt: 2 } });

        const claim = await repo.retryJob({
          videoId: VIDEO_ID,
          failedJobId: 'job-1',
          holder: holder('request-2', LEASE),
          maxAttempts: 3,
          now: NOW,
        });

        expect(claim).to.deep.equal({ kind: 'new', attempt: 2 });
        expect(onlyUpdateInput()).to.deep.include({
          UpdateExpression:
            'SET #jobAttempt = if_not_exists(#jobAttempt, :one) + :one, ' +
            '#retiredJobIds = list_append(if_not_exists(#retiredJobIds, :none), :failedList), ' +
            '#claimToken = :token, #leaseUntil = :lease, #claimedAt = :now, #updatedAt = :now, ' +
            '#jobComplete = :false, #progress = :zero REMOVE #jobId',
          ConditionExpression:
            '#status = :transcoding AND #jobId = :failed AND (attribute_not_exists(#jobAttempt) OR #jobAttempt < :max)',
          ReturnValues: 'ALL_NEW',
        });
        expect(onlyUpdateInput()?.ExpressionAttributeValues).to.deep.include({
          ':failed': 'job-1',
          ':failedList': ['job-1'],
          ':token': 'request-2',
          ':max': 3,
        });
      });

      it('retryJob resumes its own replacement when the first condition fails', async () => {
        ddb
          .on(UpdateCommand)
          .rejectsOnce(conditionFailed())
          .resolves({ Attributes: { videoId: VIDEO_ID, jobAttempt: 2 } });

        const claim = await repo.retryJob({
          videoId: VIDEO_ID,
          failedJobId: 'job-1',
          holder: holder('request-2', LEASE),
          maxAttempts: 3,
          now: NOW,
        });

        expect(claim).to.deep.equal({ kind: 'resumed', attempt: 2 });
        expect(ddb.commandCalls(UpdateCommand)[1]?.args[0].input.ConditionExpression).to.equal(
          '#status = :transcoding AND attribute_not_exists(#jobId) AND #claimToken = :token AND contains(#retiredJobIds, :failed)',
        );
      });

      it('recordJobStarted stores one job id on a claimed video', async () => {
        await repo.recordJobStarted(VIDEO_ID, '1637000000000-abcdef', NOW);

        expect(onlyUpdateInput()).to.deep.equal({
          TableName: TABLE,
          Key: { videoId: VIDEO_ID },
          UpdateExpression: 'SET #jobId = :jobId, #updatedAt = :now',
          ConditionExpression:
            '#status IN (:transcoding, :ready, :failed) AND (attribute_not_exists(#jobId) OR #jobId = :jobId) ' +
            'AND NOT contains(#retiredJobIds, :jobId)',
          ExpressionAttributeNames: {
            '#jobId': 'jobId',
            '#updatedAt': 'updatedAt',
            '#status': 'status',
            '#retiredJobIds': 'retiredJobIds',
          },
          ExpressionAttributeValues: {
            ':jobId': '1637000000000-abcdef',
            ':now': ISO,
            ':transcoding': 'TRANSCODING',
            ':ready': 'READY',
            ':failed': 'FAILED',
          },
        });
      });

      it('recordProgress only raises the progress of a TRANSCODING video, rounded and clamped', async () => {
        await repo.recordProgress(VIDEO_ID, 142.4, NOW);

        expect(onlyUpdateInput()).to.deep.equal({
          TableName: TABLE,
          Key: { videoId: VIDEO_ID },
          UpdateExpression: 'SET #progress = :percent, #updatedAt = :now',
          ConditionExpression:
            '#status = :transcoding AND (attribute_not_exists(#progress) OR #progress <= :percent)',
          ExpressionAttributeNames: {
            '#progress': 'progress',
            '#updatedAt': 'updatedAt',
            '#status': 'status',
          },
          ExpressionAttributeValues: { ':percent': 100, ':now': ISO, ':transcoding': 'TRANSCODING' },
        });
      });

      it('recordProgress refuses a progress that is not a number', () => {
        expect(() => repo.recordProgress(VIDEO_ID, Number.NaN, NOW)).to.throw(RangeError, /0 to 100/);
        expect(ddb.calls()).to.have.length(0);
      });

      it('recordJobCompleted marks the job complete with its poster', async () => {
        await repo.recordJobCompleted(VIDEO_ID, { posterKey: `videos/${VIDEO_ID}/poster.0000000.jpg` }, NOW);

        expect(onlyUpdateInput()).to.deep.equal({
          TableName: TABLE,
          Key: { videoId: VIDEO_ID },
          UpdateExpression:
            'SET #jobComplete = :true, #progress = :hundred, #updatedAt = :now, #poster = :poster',
          ConditionExpression: '#status = :transcoding',
          ExpressionAttributeNames: {
            '#jobComplete': 'jobComplete',
            '#progress': 'progress',
            '#updatedAt': 'updatedAt',
            '#poster': 'poster',
            '#status': 'status',
          },
          ExpressionAttributeValues: {
            ':true': true,
            ':hundred': 100,
            ':now': ISO,
            ':poster': `videos/${VIDEO_ID}/poster.0000000.jpg`,
            ':transcoding': 'TRANSCODING',
          },
        });
      });

      it('recordJobCompleted without a poster names no poster', async () => {
        await repo.recordJobCompleted(VIDEO_ID, {}, NOW);

        const input = onlyUpdateInput();
        expect(input?.UpdateExpression).to.equal(
          'SET #jobComplete = :true, #progress = :hundred, #updatedAt = :now',
        );
        expect(input?.ExpressionAttributeNames).not.to.have.property('#poster');
        expect(input?.ExpressionAttributeValues).not.to.have.property(':poster');
      });

      it('recordJobCompleted with a job id accepts only that job, or any job not retired before one is recorded', async () => {
        await repo.recordJobCompleted(VIDEO_ID, { jobId: 'job-1' }, NOW);

        const input = onlyUpdateInput();
        expect(input?.ConditionExpression).to.equal(
          '#status = :transcoding AND (attribute_not_exists(#jobId) OR #jobId = :jobId) AND NOT contains(#retiredJobIds, :jobId)',
        );
        expect(input?.ExpressionAttributeNames).to.include({ '#jobId': 'jobId' });
        expect(input?.ExpressionAttributeValues).to.include({ ':jobId': 'job-1' });
      });

      it('recordFailed with a job id accepts only that job, or any job not retired before one is recorded', async () => {
        await repo.recordFailed(VIDEO_ID, { errorCode: '4000', reason: 'bad input', jobId: 'job-1' }, NOW);

        const input = onlyUpdateInput();
        expect(input?.ConditionExpression).to.equal(
          '#status IN (:uploaded, :transcoding) AND (attribute_not_exists(#jobId) OR #jobId = :jobId) AND NOT contains(#retiredJobIds, :jobId)',
        );
        expect(input?.ExpressionAttributeNames).to.include({ '#jobId': 'jobId' });
        expect(input?.ExpressionAttributeValues).to.include({ ':jobId': 'job-1' });
      });

      it('recordFailed moves only a non-terminal video to FAILED', async () => {
        await repo.recordFailed(
          VIDEO_ID,
          { errorCode: '4000', reason: 'The input file is not a video.' },
          NOW,
        );

        expect(onlyUpdateInput()).to.deep.equal({
          TableName: TABLE,
          Key: { videoId: VIDEO_ID },
          UpdateExpression:
            'SET #status = :failed, #errorCode = :errorCode, #reason = :reason, #updatedAt = :now',
          ConditionExpression: '#status IN (:uploaded, :transcoding)',
          ExpressionAttributeNames: {
            '#status': 'status',
            '#errorCode': 'errorCode',
            '#reason': 'reason',
            '#updatedAt': 'updatedAt',
          },
          ExpressionAttributeValues: {
            ':failed': 'FAILED',
            ':errorCode': '4000',
            ':reason': 'The input file is not a video.',
            ':now': ISO,
            ':uploaded': 'UPLOADED',
            ':transcoding': 'TRANSCODING',
          },
        });
      });

      it('recordPermission sets permissions.<target> only while the visibility it applied holds and the video is neither deleted nor failed', async () => {
        await repo.recordPermission(
          VIDEO_ID,
          'poster',
          { key: `videos/${VIDEO_ID}/poster.0000000.jpg`, visibility: 'private' },
          NOW,
        );

        expect(onlyUpdateInput()).to.deep.equal({
          TableName: TABLE,
          Key: { videoId: VIDEO_ID },
          UpdateExpression: 'SET #permissions.#target = :applied, #updatedAt = :now',
          ConditionExpression:
            'attribute_exists(#videoId) AND NOT (#status IN (:deleted, :failed)) AND #visibility = :visibility',
          ExpressionAttributeNames: {
            '#permissions': 'permissions',
            '#updatedAt': 'updatedAt',
            '#videoId': 'videoId',
            '#status': 'status',
            '#visibility': 'visibility',
            '#target': 'poster',
          },
          ExpressionAttributeValues: {
            ':applied': { key: `videos/${VIDEO_ID}/poster.0000000.jpg`, visibility: 'private' },
            ':now': ISO,
            ':deleted': 'DELETED',
            ':failed': 'FAILED',
            ':visibility': 'private',
          },
        });
      });

      it('recordPermission of a rendition also needs the rendition to belong to the ladder', async () => {
        await repo.recordPermission(VIDEO_ID, '1080p', APPLIED, NOW);

        const input = onlyUpdateInput();
        expect(input?.ConditionExpression).to.equal(
          'attribute_exists(#videoId) AND NOT (#status IN (:deleted, :failed)) AND #visibility = :visibility AND ' +
            '(attribute_not_exists(#expectedRenditions) OR contains(#expectedRenditions, :rendition))',
        );
        expect(input?.ExpressionAttributeNames).to.include({ '#expectedRenditions': 'expectedRenditions' });
        expect(input?.ExpressionAttributeValues).to.include({ ':rendition': '1080p' });
      });

      it('updateDetails sets the given fields for the owner of a video that is not deleted, returning the new item', async () => {
        ddb.on(UpdateCommand).resolves({
          Attributes: {
            videoId: VIDEO_ID,
            status: 'READY',
            createdAt: ISO,
            title: 'Sea',
            visibility: 'private',
          },
        });

        const video = await repo.updateDetails({
          videoId: VIDEO_ID,
          ownerId: 'user-1',
          patch: { title: 'Sea', description: 'Waves', visibility: 'private' },
          now: NOW,
        });

        expect(onlyUpdateInput()).to.deep.equal({
          TableName: TABLE,
          Key: { videoId: VIDEO_ID },
          UpdateExpression:
            'SET #updatedAt = :now, #title = :title, #description = :description, #visibility = :visibility',
          ConditionExpression: '#ownerId = :ownerId AND #status <> :deleted',
          ExpressionAttributeNames: {
            '#updatedAt': 'updatedAt',
            '#ownerId': 'ownerId',
            '#status': 'status',
            '#title': 'title',
            '#description': 'description',
            '#visibility': 'visibility',
          },
          ExpressionAttributeValues: {
            ':now': ISO,
            ':ownerId': 'user-1',
            ':deleted': 'DELETED',
            ':title': 'Sea',
            ':description': 'Waves',
            ':visibility': 'private',
          },
          ReturnValues: 'ALL_NEW',
        });
        expect(video).to.deep.include({ videoId: VIDEO_ID, title: 'Sea', visibility: 'private' });
      });

      it('updateDetails removes the description when it is empty', async () => {
        ddb
          .on(UpdateCommand)
          .resolves({ Attributes: { videoId: VIDEO_ID, status: 'READY', createdAt: ISO } });

        await repo.updateDetails({
          videoId: VIDEO_ID,
          ownerId: 'user-1',
          patch: { description: '' },
          now: NOW,
        });

        const input = onlyUpdateInput();
        expect(input?.UpdateExpression).to.equal('SET #updatedAt = :now REMOVE #description');
        expect(input?.ExpressionAttributeValues).not.to.have.property(':description');
      });

      it('updateDetails resolves to undefined when the caller does not own it or it is deleted', async () => {
        ddb.on(UpdateCommand).rejects(conditionFailed());

        const video = await repo.updateDetails({
          videoId: VIDEO_ID,
          ownerId: 'someone-else',
          patch: { title: 'x' },
          now: NOW,
        });

        expect(video).to.equal(undefined);
      });

      it("recordDeletion makes the owner's video a tombstone with a TTL, dropping the owner's text", async () => {
        await repo.recordDeletion({
          videoId: VIDEO_ID,
          ownerId: 'user-1',
          now: NOW,
          expiresAt: 1_796_000_000,
        });

        expect(onlyUpdateInput()).to.deep.equal({
          TableName: TABLE,
          Key: { videoId: VIDEO_ID },
          UpdateExpression:
            'SET #status = :deleted, #deletedAt = :now, #updatedAt = :now, #expiresAt = :expiresAt ' +
            'REMOVE #title, #description, #source.#filename, #metadata, #probes, #renditions, #permissions, ' +
            '#poster, #progress, #reason, #errorCode',
          ConditionExpression: '#ownerId = :ownerId AND #status <> :deleted',
          ExpressionAttributeNames: {
            '#status': 'status',
            '#deletedAt': 'deletedAt',
            '#updatedAt': 'updatedAt',
            '#expiresAt': 'expiresAt',
            '#title': 'title',
            '#description': 'description',
            '#source': 'source',
            '#metadata': 'metadata',
            '#probes': 'probes',
            '#renditions': 'renditions',
            '#permissions': 'permissions',
            '#poster': 'poster',
            '#progress': 'progress',
            '#reason': 'reason',
            '#errorCode': 'errorCode',
            '#ownerId': 'ownerId',
            '#filename': 'filename',
          },
          ExpressionAttributeValues: {
            ':deleted': 'DELETED',
            ':now': ISO,
            ':expiresAt': 1_796_000_000,
            ':ownerId': 'user-1',
          },
        });
      });

      it('markPurged marks a tombstone once', async () => {
        await repo.markPurged(VIDEO_ID, NOW);

        expect(onlyUpdateInput()).to.deep.equal({
          TableName: TABLE,
          Key: { videoId: VIDEO_ID },
          UpdateExpression: 'SET #purgedAt = :now',
          ConditionExpression: '#status = :deleted AND attribute_not_exists(#purgedAt)',
          ExpressionAttributeNames: { '#purgedAt': 'purgedAt', '#status': 'status' },
          ExpressionAttributeValues: { ':now': ISO, ':deleted': 'DELETED' },
        });
      });

      it('recordProbe of the highest rendition of the ladder also sets metadata, for a rendition of the ladder only', async () => {
        await repo.recordProbe(VIDEO_ID, '720p', METADATA, NOW, { highest: true });

        expect(onlyUpdateInput()).to.deep.equal({
          TableName: TABLE,
          Key: { videoId: VIDEO_ID },
          UpdateExpression: 'SET #probes.#rendition = :value, #updatedAt = :now, #metadata = :value',
          ConditionExpression:
            '#status = :transcoding AND ' +
            '(attribute_not_exists(#expectedRenditions) OR contains(#expectedRenditions, :rendition))',
          ExpressionAttributeNames: {
            '#probes': 'probes',
            '#updatedAt': 'updatedAt',
            '#metadata': 'metadata',
            '#status': 'status',
            '#expectedRenditions': 'expectedRenditions',
            '#rendition': '720p',
          },
          ExpressionAttributeValues: {
            ':value': METADATA,
            ':now': ISO,
            ':transcoding': 'TRANSCODING',
            ':rendition': '720p',
          },
        });
      });

      it('recordProbe of another rendition leaves metadata alone and drops an absent audio codec', async () => {
        const { audioCodec: _, ...silent } = METADATA;

        await repo.recordProbe(VIDEO_ID, '720p', { ...silent, audioCodec: undefined }, NOW, {
          highest: false,
        });

        const input = onlyUpdateInput();
        expect(input?.UpdateExpression).to.equal('SET #probes.#rendition = :value, #updatedAt = :now');
        expect(input?.ExpressionAttributeNames).to.deep.equal({
          '#probes': 'probes',
          '#updatedAt': 'updatedAt',
          '#status': 'status',
          '#expectedRenditions': 'expectedRenditions',
          '#rendition': '720p',
        });
        expect(input?.ExpressionAttributeValues?.[':value']).to.deep.equal(silent);
      });

      it('recordRendition sets renditions.<rendition> while TRANSCODING, for a rendition of the ladder only', async () => {
        await repo.recordRendition(VIDEO_ID, 'web-720p', `videos/${VIDEO_ID}/web-720p.mp4`, NOW);

        expect(onlyUpdateInput()).to.deep.equal({
          TableName: TABLE,
          Key: { videoId: VIDEO_ID },
          UpdateExpression: 'SET #renditions.#rendition = :value, #updatedAt = :now',
          ConditionExpression:
            '#status = :transcoding AND ' +
            '(attribute_not_exists(#expectedRenditions) OR contains(#expectedRenditions, :rendition))',
          ExpressionAttributeNames: {
            '#renditions': 'renditions',
            '#updatedAt': 'updatedAt',
            '#status': 'status',
            '#expectedRenditions': 'expectedRenditions',
            '#rendition': 'web-720p',
          },
          ExpressionAttributeValues: {
            ':value': { key: `videos/${VIDEO_ID}/web-720p.mp4` },
            ':now': ISO,
            ':transcoding': 'TRANSCODING',
            ':rendition': 'web-720p',
          },
        });
      });

      it('recordLadder sets the ladder once, highest first, for the holder of a claim without a job', async () => {
        ddb.on(UpdateCommand).resolves({
          Attributes: { videoId: VIDEO_ID, status: 'TRANSCODING', expectedRenditions: ['720p', 'web-720p'] },
        });

        const recorded = await repo.recordLadder(VIDEO_ID, 'request-1', ['web-720p', '720p'], NOW);

        expect(recorded).to.deep.equal(['720p', 'web-720p']);
        expect(onlyUpdateInput()).to.deep.equal({
          TableName: TABLE,
          Key: { videoId: VIDEO_ID },
          UpdateExpression:
            'SET #expectedRenditions = if_not_exists(#expectedRenditions, :ladder), #updatedAt = :now',
          ConditionExpression:
            '#status = :transcoding AND attribute_not_exists(#jobId) AND #claimToken = :token',
          ExpressionAttributeNames: {
            '#expectedRenditions': 'expectedRenditions',
            '#updatedAt': 'updatedAt',
            '#status': 'status',
            '#jobId': 'jobId',
            '#claimToken': 'claimToken',
          },
          ExpressionAttributeValues: {
            ':ladder': ['720p', 'web-720p'],
            ':now': ISO,
            ':transcoding': 'TRANSCODING',
            ':token': 'request-1',
          },
          ReturnValues: 'ALL_NEW',
        });
      });

      it('recordLadder resolves to undefined when the caller holds no claim without a job', async () => {
        ddb.on(UpdateCommand).rejects(conditionFailed());

        expect(await repo.recordLadder(VIDEO_ID, 'request-1', ['web-720p'], NOW)).to.equal(undefined);
      });

      it('recordLadder refuses a ladder without web-720p before writing anything', async () => {
        let error: unknown;
        try {
          await repo.recordLadder(VIDEO_ID, 'request-1', ['1080p'], NOW);
        } catch (caught) {
          error = caught;
        }

        expect(error).to.be.instanceOf(TypeError);
        expect(ddb.calls()).to.have.length(0);
      });

      it('tryMarkReady is one update conditioned on the job and the facts of every rendition of the item’s own ladder', async () => {
        await repo.tryMarkReady(VIDEO_ID, NOW);

        const rendition = (i: number) =>
          `(attribute_exists(#expectedRenditions) AND NOT contains(#expectedRenditions, :r${i}) OR ` +
          `attribute_exists(#renditions.#r${i}) AND attribute_exists(#permissions.#r${i}) AND attribute_exists(#probes.#r${i}))`;
        expect(onlyUpdateInput()).to.deep.equal({
          TableName: TABLE,
          Key: { videoId: VIDEO_ID },
          UpdateExpression: 'SET #status = :ready, #progress = :hundred, #updatedAt = :now',
          ConditionExpression: `#status = :transcoding AND #jobComplete = :true AND ${rendition(0)} AND ${rendition(1)} AND ${rendition(2)}`,
          ExpressionAttributeNames: {
            '#status': 'status',
            '#progress': 'progress',
            '#updatedAt': 'updatedAt',
            '#jobComplete': 'jobComplete',
            '#expectedRenditions': 'expectedRenditions',
            '#renditions': 'renditions',
            '#permissions': 'permissions',
            '#probes': 'probes',
            '#r0': '1080p',
            '#r1': '720p',
            '#r2': 'web-720p',
          },
          ExpressionAttributeValues: {
            ':ready': 'READY',
            ':hundred': 100,
            ':now': ISO,
            ':transcoding': 'TRANSCODING',
            ':true': true,
            ':r0': '1080p',
            ':r1': '720p',
            ':r2': 'web-720p',
          },
        });
      });
    });

    describe('get', () => {
      it('reads consistently and maps the item, outputs highest rendition first', async () => {
        ddb.on(GetCommand).resolves({
          Item: {
            videoId: VIDEO_ID,
            status: 'TRANSCODING',
            createdAt: ISO,
            updatedAt: ISO,
            ownerId: 'user-1',
            source: SOURCE,
            transcoder: 'mediaconvert',
            jobId: 'job-1',
            jobComplete: false,
            progress: 40,
            renditions: {
              'web-720p': { key: `videos/${VIDEO_ID}/web-720p.mp4` },
              '1080p': { key: `videos/${VIDEO_ID}/1080p.mp4` },
            },
            visibility: 'public',
            permissions: {
              '1080p': { key: `videos/${VIDEO_ID}/1080p.mp4`, visibility: 'public' },
              'web-720p': { key: `videos/${VIDEO_ID}/web-720p.mp4`, visibility: 'private' },
            },
            probes: { '1080p': METADATA },
            metadata: METADATA,
          },
        });

        const video = await repo.get(VIDEO_ID);

        expect(ddb.commandCalls(GetCommand)[0]?.args[0].input).to.deep.equal({
          TableName: TABLE,
          Key: { videoId: VIDEO_ID },
          ConsistentRead: true,
        });
        expect(video).to.deep.equal({
          videoId: VIDEO_ID,
          status: 'TRANSCODING',
          createdAt: ISO,
          updatedAt: ISO,
          ownerId: 'user-1',
          source: SOURCE,
          visibility: 'public',
          transcoder: 'mediaconvert',
          jobId: 'job-1',
          jobComplete: false,
          progress: 40,
          permissions: {
            '1080p': { key: `videos/${VIDEO_ID}/1080p.mp4`, visibility: 'public' },
            'web-720p': { key: `videos/${VIDEO_ID}/web-720p.mp4`, visibility: 'private' },
          },
          outputs: [
            {
              rendition: '1080p',
              key: `videos/${VIDEO_ID}/1080p.mp4`,
              width: 1920,
              height: 1080,
              public: true,
            },
            { rendition: 'web-720p', key: `videos/${VIDEO_ID}/web-720p.mp4`, public: false },
          ],
          metadata: METADATA,
        });
      });

      it('reads a tombstone with its deletion facts, public when it never said', async () => {
        ddb.on(GetCommand).resolves({
          Item: {
            videoId: VIDEO_ID,
            status: 'DELETED',
            createdAt: ISO,
            updatedAt: ISO,
            ownerId: 'user-1',
            source: { bucket: 'uploads', key: SOURCE.key },
            deletedAt: ISO,
            purgedAt: ISO,
            expiresAt: 1_796_000_000,
          },
        });

        const video = await repo.get(VIDEO_ID);

        expect(video).to.deep.include({
          status: 'DELETED',
          visibility: 'public',
          deletedAt: ISO,
          purgedAt: ISO,
          expiresAt: 1_796_000_000,
          source: { bucket: 'uploads', key: SOURCE.key, filename: '' },
        });
      });

      it('returns undefined for an unknown video', async () => {
        ddb.on(GetCommand).resolves({});

        expect(await repo.get(VIDEO_ID)).to.equal(undefined);
      });
    });

    describe('listing', () => {
      const item = (n: number, status = 'READY') => ({
        videoId: `video-${n}`,
        status,
        ownerId: 'user-1',
        createdAt: `2026-11-24T10:00:0${n}.000Z`,
        updatedAt: `2026-11-24T10:00:0${n}.000Z`,
      });

      it('queries the byStatus index newest first, asking one extra item to know if a next page exists', async () => {
        ddb.on(QueryCommand).resolves({ Items: [item(3), item(2), item(1)] });

        const page = await repo.listByStatus('READY', { limit: 2 });

        expect(ddb.commandCalls(QueryCommand)[0]?.args[0].input).to.deep.equal({
          TableName: TABLE,
          IndexName: 'byStatus',
          KeyConditionExpression: '#pk = :pk',
          ExpressionAttributeNames: { '#pk': 'status' },
          ExpressionAttributeValues: { ':pk': 'READY' },
          ScanIndexForward: false,
          Limit: 3,
        });
        expect(page.items.map((v) => v.videoId)).to.deep.equal(['video-3', 'video-2']);
        const cursor = page.cursor ?? '';
        expect(cursor).to.match(/^[A-Za-z0-9_-]+$/);
        expect(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))).to.deep.equal({
          videoId: 'video-2',
          status: 'READY',
          createdAt: '2026-11-24T10:00:02.000Z',
        });
      });

      it('passes a cursor back as ExclusiveStartKey', async () => {
        ddb
          .on(QueryCommand)
          .resolvesOnce({ Items: [item(3), item(2), item(1)] })
          .resolves({ Items: [item(1)] });
        const first = await repo.listByOwner('user-1', { limit: 2 });

        const second = await repo.listByOwner('user-1', { limit: 2, cursor: first.cursor ?? '' });

        expect(ddb.commandCalls(QueryCommand)[1]?.args[0].input).to.deep.equal({
          TableName: TABLE,
          IndexName: 'byOwner',
          KeyConditionExpression: '#pk = :pk',
          ExpressionAttributeNames: { '#pk': 'ownerId', '#status': 'status' },
          ExpressionAttributeValues: { ':pk': 'user-1', ':deleted': 'DELETED' },
          FilterExpression: '#status <> :deleted',
          ScanIndexForward: false,
          Limit: 3,
          ExclusiveStartKey: { videoId: 'video-2', ownerId: 'user-1', createdAt: '2026-11-24T10:00:02.000Z' },
        });
        expect(second.items.map((v) => v.videoId)).to.deep.equal(['video-1']);
        expect(second.cursor).to.equal(undefined);
      });

      it('lists the catalogue from the byStatus index filtered to public videos', async () => {
        ddb.on(QueryCommand).resolves({ Items: [item(3)] });

        await repo.listCatalogue({ limit: 2 });

        expect(ddb.commandCalls(QueryCommand)[0]?.args[0].input).to.deep.equal({
          TableName: TABLE,
          IndexName: 'byStatus',
          KeyConditionExpression: '#pk = :pk',
          ExpressionAttributeNames: { '#pk': 'status', '#visibility': 'visibility' },
          ExpressionAttributeValues: { ':pk': 'READY', ':public': 'public' },
          FilterExpression: '#visibility = :public',
          ScanIndexForward: false,
          Limit: 3,
        });
      });

      it("lists an owner's videos without tombstones", async () => {
        ddb.on(QueryCommand).resolves({ Items: [] });

        await repo.listByOwner('user-1', { limit: 2 });

        expect(ddb.commandCalls(QueryCommand)[0]?.args[0].input).to.deep.include({
          IndexName: 'byOwner',
          ExpressionAttributeNames: { '#pk': 'ownerId', '#status': 'status' },
          ExpressionAttributeValues: { ':pk': 'user-1', ':deleted': 'DELETED' },
          FilterExpression: '#status <> :deleted',
        });
      });

      it('queries on past filtered-out items until the page is full', async () => {
        const key2 = { videoId: 'video-2', status: 'READY', createdAt: '2026-11-24T10:00:02.000Z' };
        ddb
          .on(QueryCommand)
          .resolvesOnce({
            Items: [],
            LastEvaluatedKey: { videoId: 'video-4', status: 'READY', createdAt: 'c4' },
          })
          .resolvesOnce({ Items: [item(3)], LastEvaluatedKey: key2 })
          .resolvesOnce({ Items: [item(2), item(1)] });

        const page = await repo.listCatalogue({ limit: 2 });

        const starts = ddb.commandCalls(QueryCommand).map((c) => c.args[0].input.ExclusiveStartKey);
        expect(starts).to.deep.equal([
          undefined,
          { videoId: 'video-4', status: 'READY', createdAt: 'c4' },
          key2,
        ]);
        expect(page.items.map((v) => v.videoId)).to.deep.equal(['video-3', 'video-2']);
        expect(JSON.parse(Buffer.from(page.cursor ?? '', 'base64url').toString('utf8'))).to.deep.equal(key2);
      });

      it('returns a short page with a cursor once the filtered queries run out', async () => {
        const next = { videoId: 'video-9', status: 'READY', createdAt: 'c9' };
        ddb.on(QueryCommand).resolves({ Items: [], LastEvaluatedKey: next });

        const page = await repo.listCatalogue({ limit: 5 });

        expect(ddb.commandCalls(QueryCommand)).to.have.length(MAX_FILTERED_QUERIES);
        expect(page.items).to.deep.equal([]);
        expect(JSON.parse(Buffer.from(page.cursor ?? '', 'base64url').toString('utf8'))).to.deep.equal(next);
      });

      it('keeps paging when DynamoDB stops early at its 1 MB page limit', async () => {
        const lastEvaluated = { videoId: 'video-3', status: 'READY', createdAt: '2026-11-24T10:00:03.000Z' };
        ddb.on(QueryCommand).resolves({ Items: [item(3)], LastEvaluatedKey: lastEvaluated });

        const page = await repo.listByStatus('READY', { limit: 10 });

        expect(JSON.parse(Buffer.from(page.cursor ?? '', 'base64url').toString('utf8'))).to.deep.equal(
          lastEvaluated,
        );
      });

      const encode = (value: unknown) => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
      const tampered: [string, string][] = [
        ['not base64url', 'abc$%^'],
        ['empty', ''],
        ['not JSON', Buffer.from('{videoId:', 'utf8').toString('base64url')],
        ['a JSON array', encode(['a'])],
        ['missing an attribute', encode({ videoId: 'v', status: 'READY' })],
        ['an extra attribute', encode({ videoId: 'v', status: 'READY', createdAt: 'c', admin: 'yes' })],
        ['a non-string attribute', encode({ videoId: 'v', status: 'READY', createdAt: 5 })],
        ['another status', encode({ videoId: 'v', status: 'FAILED', createdAt: 'c' })],
        ['another index', encode({ videoId: 'v', ownerId: 'user-1', createdAt: 'c' })],
      ];
      for (const [label, cursor] of tampered) {
        it(`throws InvalidCursorError for a cursor that is ${label}, without querying`, async () => {
          const error = await repo.listByStatus('READY', { limit: 5, cursor }).catch((e: unknown) => e);

          expect(error).to.be.instanceOf(InvalidCursorError);
          expect((error as Error).name).to.equal('InvalidCursorError');
          expect(ddb.commandCalls(QueryCommand)).to.have.length(0);
        });
      }

      for (const limit of [0, -1, 1.5, Number.NaN, 1001]) {
        it(`refuses a page limit of ${limit}`, async () => {
          const error = await repo.listByOwner('user-1', { limit }).catch((e: unknown) => e);

          expect(error).to.be.instanceOf(RangeError);
          expect(ddb.calls()).to.have.length(0);
        });
      }
    });
  });
});
