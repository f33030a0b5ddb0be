import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteObjectsCommand, ListObjectVersionsCommand, S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { type AwsClientStub, mockClient } from 'aws-sdk-client-mock';
import { expect } from 'chai';
import sinon from 'sinon';
import {
  type DeleteVideoDeps,
  JobStillRunningError,
  PurgeIncompleteError,
  purgeVideo,
} from '#functions/delete-video/core.ts';
import { DynamoVideoRepository } from '#shared/store';
import { fakeLogger } from '../../support/pipeline-fakes.ts';

const TABLE = 'videos-table';
const UPLOADS = 'uploads-bucket';
const TRANSCODED = 'transcoded-bucket';
const VIDEO_ID = 'Vq3x9ZkT2mB7wLp4sR8yNa';
const OWNER = 'user-1';
const NOW = new Date('2026-11-24T12:00:00.000Z');
const OUTPUTS = `videos/${VIDEO_ID}/`;
const UPLOAD_PREFIX = `uploads/${OWNER}/${VIDEO_ID}/`;

/** A tombstone as request-deletion leaves it. */
function tombstone(overrides: Record<string, unknown> = {}) {
  return {
    videoId: VIDEO_ID,
    status: 'DELETED',
    createdAt: '2026-11-24T11:00:00.000Z',
    updatedAt: '2026-11-24T11:59:00.000Z',
    deletedAt: '2026-11-24T11:59:00.000Z',
    expiresAt: 1_797_000_000,
    ownerId: OWNER,
    source: { bucket: UPLOADS, key: `${UPLOAD_PREFIX}clip.mp4`, size: 1000 },
    transcoder: 'mediaconvert',
    jobId: 'job-1',
    ...overrides,
  };
}

const version = (key: string, versionId: string) => ({ Key: key, VersionId: versionId });

describe('delete-video core', () => {
  const sandbox = sinon.createSandbox();
  let s3: AwsClientStub<S3Client>;
  let ddb: AwsClientStub<DynamoDBDocumentClient>;
  let cancelJob: sinon.SinonStub;
  let sleep: sinon.SinonStub;
  let deps: DeleteVideoDeps;

  beforeEach(() => {
    const s3Client = new S3Client({ region: 'us-east-1' });
    s3 = mockClient(s3Client);
    s3.on(ListObjectVersionsCommand).resolves({ IsTruncated: false });
    s3.on(DeleteObjectsCommand).resolves({});
    const documents = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));
    ddb = mockClient(documents);
    ddb.on(GetCommand).resolves({ Item: tombstone() });
    ddb.on(UpdateCommand).resolves({});
    cancelJob = sandbox.stub().resolves('canceled');
    sleep = sandbox.stub().resolves();
    deps = {
      repository: new DynamoVideoRepository(documents, TABLE),
      s3: s3Client,
      uploadBucket: UPLOADS,
      transcodedBucket: TRANSCODED,
      canceller: { backend: 'mediaconvert', cancelJob },
      now: () => NOW,
      sleep,
      logger: fakeLogger(sandbox),
      jobWait: { attempts: 3, delayMs: 1000 },
    };
  });

  afterEach(() => {
    s3.restore();
    ddb.restore();
    sandbox.restore();
  });

  const listInputs = () => s3.commandCalls(ListObjectVersionsCommand).map((c) => c.args[0].input);
  const deleteInputs = () => s3.commandCalls(DeleteObjectsCommand).map((c) => c.args[0].input);
  const markPurgedInput = {
    TableName: TABLE,
    Key: { videoId: VIDEO_ID },
    UpdateExpression: 'SET #purgedAt = :now',
    ConditionExpression: '#status = :deleted AND attribute_not_exists(#purgedAt)',
    ExpressionAttributeNames: { '#purgedAt': 'purgedAt', '#status': 'status' },
    ExpressionAttributeValues: { ':now': NOW.toISOString(), ':deleted': 'DELETED' },
  };

  describe('a tombstone of an API upload', () => {
    it('cancels its job, lists every version of both prefixes over several pages, deletes exactly those and marks it purged', async () => {
      // Arrange: the outputs span three pages; the upload has a version and a delete marker.
      s3.on(ListObjectVersionsCommand, { Bucket: TRANSCODED })
        .resolvesOnce({
          IsTruncated: true,
          Versions: [version(`${OUTPUTS}1080p.mp4`, 'a1'), version(`${OUTPUTS}1080p.mp4`, 'a0')],
          NextKeyMarker: `${OUTPUTS}1080p.mp4`,
          NextVersionIdMarker: 'a0',
        })
        .resolvesOnce({
          IsTruncated: true,
          Versions: [version(`${OUTPUTS}720p.mp4`, 'b1')],
          DeleteMarkers: [version(`${OUTPUTS}metadata.json`, 'm1')],
          NextKeyMarker: `${OUTPUTS}metadata.json`,
          NextVersionIdMarker: 'm1',
        })
        .resolvesOnce({
          IsTruncated: false,
          // A key of another video that a listing must never return; the prefix check drops it anyway.
          Versions: [
            version(`${OUTPUTS}poster.0000000.jpg`, 'p1'),
            version(`videos/${VIDEO_ID}x/720p.mp4`, 'z'),
          ],
        });
      s3.on(ListObjectVersionsCommand, { Bucket: UPLOADS }).resolves({
        IsTruncated: false,
        Versions: [version(`${UPLOAD_PREFIX}clip.mp4`, 'u1')],
        DeleteMarkers: [version(`${UPLOAD_PREFIX}clip.mp4`, 'u2')],
      });
      let listedBeforeCancel = -1;
      cancelJob.callsFake(async () => {
        listedBeforeCancel = s3.commandCalls(ListObjectVersionsCommand).length;
        return 'canceled';
      });

      // Act
      const outcome = await purgeVideo({ videoId: VIDEO_ID, reason: 'requested' }, deps);

      // Assert
      expect(outcome).to.equal('purged');
      expect(ddb.commandCalls(GetCommand).map((c) => c.args[0].input)).to.deep.equal([
        { TableName: TABLE, Key: { videoId: VIDEO_ID }, ConsistentRead: true },
      ]);
      expect(cancelJob.args).to.deep.equal([['job-1']]);
      expect(listInputs()).to.deep.equal([
        { Bucket: TRANSCODED, Prefix: OUTPUTS },
        { Bucket: TRANSCODED, Prefix: OUTPUTS, KeyMarker: `${OUTPUTS}1080p.mp4`, VersionIdMarker: 'a0' },
        { Bucket: TRANSCODED, Prefix: OUTPUTS, KeyMarker: `${OUTPUTS}metadata.json`, VersionIdMarker: 'm1' },
        { Bucket: UPLOADS, Prefix: UPLOAD_PREFIX },
      ]);
      expect(deleteInputs()).to.deep.equal([
        {
          Bucket: TRANSCODED,
          Delete: {
            Objects: [
              version(`${OUTPUTS}1080p.mp4`, 'a1'),
              version(`${OUTPUTS}1080p.mp4`, 'a0'),
              version(`${OUTPUTS}720p.mp4`, 'b1'),
              version(`${OUTPUTS}metadata.json`, 'm1'),
              version(`${OUTPUTS}poster.0000000.jpg`, 'p1'),
            ],
            Quiet: true,
          },
        },
        {
          Bucket: UPLOADS,
          Delete: {
            Objects: [version(`${UPLOAD_PREFIX}clip.mp4`, 'u1'), version(`${UPLOAD_PREFIX}clip.mp4`, 'u2')],
            Quiet: true,
          },
        },
      ]);
      expect(ddb.commandCalls(UpdateCommand).map((c) => c.args[0].input)).to.deep.equal([markPurgedInput]);
      expect(listedBeforeCancel, 'the job is stopped before anything is listed').to.equal(0);
    });

    it('splits more than 1,000 versions into batches of 1,000', async () => {
      const many = Array.from({ length: 1500 }, (_, i) => version(`${OUTPUTS}1080p.mp4`, `v${i}`));
      s3.on(ListObjectVersionsCommand, { Bucket: TRANSCODED }).resolves({
        IsTruncated: false,
        Versions: many,
      });

      await purgeVideo({ videoId: VIDEO_ID, reason: 'requested' }, deps);

      expect(deleteInputs().map((input) => input.Delete?.Objects?.length)).to.deep.equal([1000, 500]);
    });

    it('deletes nothing and sends no DeleteObjects when nothing is left', async () => {
      const outcome = await purgeVideo({ videoId: VIDEO_ID, reason: 'requested' }, deps);

      expect(outcome).to.equal('purged');
      expect(deleteInputs()).to.deep.equal([]);
    });

    it('cancels the job a late event names as well as the recorded one', async () => {
      await purgeVideo({ videoId: VIDEO_ID, reason: 'late-upload', jobId: 'job-2' }, deps);

      expect(cancelJob.args).to.deep.equal([['job-2'], ['job-1']]);
    });

    it('sweeps a tombstone purged before without marking it again', async () => {
      ddb.on(GetCommand).resolves({ Item: tombstone({ purgedAt: '2026-11-24T11:59:30.000Z' }) });
      ddb
        .on(UpdateCommand)
        .rejects(Object.assign(new Error('failed'), { name: 'ConditionalCheckFailedException' }));
      s3.on(ListObjectVersionsCommand, { Bucket: TRANSCODED }).resolves({
        IsTruncated: false,
        Versions: [version(`${OUTPUTS}metadata.json`, 'late')],
      });

      const outcome = await purgeVideo({ videoId: VIDEO_ID, reason: 'late-output' }, deps);

      expect(outcome).to.equal('swept');
      expect(deleteInputs()[0]?.Delete?.Objects).to.deep.equal([version(`${OUTPUTS}metadata.json`, 'late')]);
    });
  });

  describe('jobs that cannot be canceled', () => {
    it('waits, bounded, for a running job to end, then purges and marks it purged', async () => {
      cancelJob
        .onFirstCall()
        .resolves('running')
        .onSecondCall()
        .resolves('running')
        .onThirdCall()
        .resolves('finished');

      const outcome = await purgeVideo({ videoId: VIDEO_ID, reason: 'requested' }, deps);

      expect(outcome).to.equal('purged');
      expect(sleep.args).to.deep.equal([[1000], [1000]]);
      expect(ddb.commandCalls(UpdateCommand)).to.have.length(1);
    });

    it('purges what is there but leaves the tombstone unmarked and throws when the job is still running', async () => {
      cancelJob.resolves('running');
      s3.on(ListObjectVersionsCommand, { Bucket: TRANSCODED }).resolves({
        IsTruncated: false,
        Versions: [version(`${OUTPUTS}1080p.mp4`, 'a1')],
      });

      const error = await purgeVideo({ videoId: VIDEO_ID, reason: 'requested' }, deps).catch(
        (e: unknown) => e,
      );

      expect(error).to.be.instanceOf(JobStillRunningError);
      expect(cancelJob.callCount).to.equal(4);
      expect(deleteInputs()).to.have.length(1);
      expect(ddb.commandCalls(UpdateCommand)).to.deep.equal([]);
    });

    it('does not try to cancel a job of another backend', async () => {
      ddb.on(GetCommand).resolves({ Item: tombstone({ transcoder: 'elastic-transcoder' }) });

      const outcome = await purgeVideo({ videoId: VIDEO_ID, reason: 'requested' }, deps);

      expect(outcome).to.equal('purged');
      expect(cancelJob.called).to.equal(false);
    });
  });

  describe('what a purge never touches', () => {
    it('deletes exactly the recorded version of an upload that did not come through the API', async () => {
      const key = 'dropbox/clip.mp4';
      ddb.on(GetCommand).resolves({
        Item: tombstone({ ownerId: OWNER, source: { bucket: UPLOADS, key, versionId: 'mine' } }),
      });
      s3.on(ListObjectVersionsCommand, { Bucket: UPLOADS }).resolves({
        IsTruncated: false,
        Versions: [version(key, 'theirs'), version(key, 'mine'), version(`${key}.bak`, 'mine')],
      });

      await purgeVideo({ videoId: VIDEO_ID, reason: 'requested' }, deps);

      expect(listInputs()).to.deep.include({ Bucket: UPLOADS, Prefix: key });
      expect(deleteInputs()).to.deep.equal([
        { Bucket: UPLOADS, Delete: { Objects: [version(key, 'mine')], Quiet: true } },
      ]);
    });

    it("keeps to the exact key when the key's owner is not the recorded owner", async () => {
      const key = `uploads/someone-else/${VIDEO_ID}/clip.mp4`;
      ddb.on(GetCommand).resolves({ Item: tombstone({ source: { bucket: UPLOADS, key } }) });

      await purgeVideo({ videoId: VIDEO_ID, reason: 'requested' }, deps);

      expect(listInputs()).to.deep.include({ Bucket: UPLOADS, Prefix: key });
      expect(listInputs()).not.to.deep.include({
        Bucket: UPLOADS,
        Prefix: `uploads/someone-else/${VIDEO_ID}/`,
      });
    });

    it('leaves an upload recorded in another bucket alone', async () => {
      ddb.on(GetCommand).resolves({ Item: tombstone({ source: { bucket: 'not-ours', key: 'x.mp4' } }) });

      await purgeVideo({ videoId: VIDEO_ID, reason: 'requested' }, deps);

      expect(listInputs()).to.deep.equal([{ Bucket: TRANSCODED, Prefix: OUTPUTS }]);
    });

    for (const status of ['UPLOADED', 'TRANSCODING', 'READY', 'FAILED']) {
      it(`touches nothing of a ${status} video that is not deleted`, async () => {
        ddb.on(GetCommand).resolves({ Item: tombstone({ status }) });

        const outcome = await purgeVideo({ videoId: VIDEO_ID, reason: 'late-job' }, deps);

        expect(outcome).to.equal('not-deleted');
        expect(s3.calls()).to.deep.equal([]);
        expect(cancelJob.called).to.equal(false);
        expect(ddb.commandCalls(UpdateCommand)).to.deep.equal([]);
      });
    }

    it('touches nothing when the tombstone has expired', async () => {
      ddb.on(GetCommand).resolves({});

      const outcome = await purgeVideo({ videoId: VIDEO_ID, reason: 'late-job' }, deps);

      expect(outcome).to.equal('expired');
      expect(s3.calls()).to.deep.equal([]);
    });
  });

  describe('failures', () => {
    it('fails without marking the tombstone when S3 refuses some versions', async () => {
      s3.on(ListObjectVersionsCommand, { Bucket: TRANSCODED }).resolves({
        IsTruncated: false,
        Versions: [version(`${OUTPUTS}1080p.mp4`, 'a1')],
      });
      s3.on(DeleteObjectsCommand).resolves({
        Errors: [
          { Key: `${OUTPUTS}1080p.mp4`, VersionId: 'a1', Code: 'AccessDenied', Message: 'Access Denied' },
        ],
      });

      const error = await purgeVideo({ videoId: VIDEO_ID, reason: 'requested' }, deps).catch(
        (e: unknown) => e,
      );

      expect(error)
        .to.be.instanceOf(PurgeIncompleteError)
        .with.property('message')
        .that.contains('AccessDenied');
      expect(ddb.commandCalls(UpdateCommand)).to.deep.equal([]);
    });

    it('rethrows a failed cancel for Lambda to retry, before deleting anything', async () => {
      const throttled = Object.assign(new Error('slow down'), { name: 'TooManyRequestsException' });
      cancelJob.rejects(throttled);

      const error = await purgeVideo({ videoId: VIDEO_ID, reason: 'requested' }, deps).catch(
        (e: unknown) => e,
      );

      expect(error).to.equal(throttled);
      expect(s3.calls()).to.deep.equal([]);
    });
  });
});
