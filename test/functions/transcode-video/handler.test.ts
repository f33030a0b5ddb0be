import { CreateJobCommand, ElasticTranscoderClient } from '@aws-sdk/client-elastic-transcoder';
import { DynamoDBDocumentClient, UpdateCommand, type UpdateCommandInput } from '@aws-sdk/lib-dynamodb';
import { type AwsClientStub, mockClient } from 'aws-sdk-client-mock';
import { expect } from 'chai';
import type { RecordBatchError } from '#shared/events';
import { videoIdForUpload } from '#shared/video';
import { PIPELINE_FUNCTION_ENV } from '#test/support/pipeline-env.ts';
import { setEnv } from '../../support/api-env.ts';
import { loadEventFixture } from '../../support/fixtures.ts';

type Handler = (event: unknown) => Promise<void>;

const API_VIDEO_ID = 'AbCdEfGhIjKlMnOpQrStUv';
const ROME_ID = videoIdForUpload({ bucket: '24hv-upload-dev', key: 'my.trip.to.rome.2026.mp4' });

describe('transcode-video handler', () => {
  let restoreEnv: () => void;
  let handler: Handler;
  let ddb: AwsClientStub<DynamoDBDocumentClient>;
  let et: AwsClientStub<ElasticTranscoderClient>;

  before(async () => {
    restoreEnv = setEnv(PIPELINE_FUNCTION_ENV);
    ({ handler } = await import('#functions/transcode-video/handler.ts'));
  });

  after(() => restoreEnv());

  beforeEach(() => {
    ddb = mockClient(DynamoDBDocumentClient);
    // Every write holds; recordLadder answers with the ladder it set, as on an item without one.
    ddb.on(UpdateCommand).callsFake((input: UpdateCommandInput) => {
      const ladder = input.ExpressionAttributeValues?.[':ladder'];
      return ladder ? { Attributes: { expectedRenditions: ladder } } : {};
    });
    et = mockClient(ElasticTranscoderClient);
    et.on(CreateJobCommand).resolves({ Job: { Id: 'job-1' } });
  });

  afterEach(() => {
    ddb.restore();
    et.restore();
  });

  const updatesOf = () => ddb.commandCalls(UpdateCommand).map((call) => call.args[0].input);

  describe('every record', () => {
    it('rejects the oversized upload and starts one job for each accepted upload, keys decoded', async () => {
      // Arrange
      const event = loadEventFixture('s3-put-multiple');

      // Act
      await handler(event);

      // Assert
      const jobs = et.commandCalls(CreateJobCommand).map((call) => call.args[0].input);
      expect(jobs.map((job) => [job.Input?.Key, job.OutputKeyPrefix, job.UserMetadata])).to.deep.equal([
        ['my.trip.to.rome.2026.mp4', `videos/${ROME_ID}/`, { videoId: ROME_ID }],
        [
          `uploads/user-123/${API_VIDEO_ID}/my holiday videoé + more.mov`,
          `videos/${API_VIDEO_ID}/`,
          { videoId: API_VIDEO_ID },
        ],
      ]);
      // Elastic Transcoder cannot read a source before its job: every upload gets every rendition.
      for (const job of jobs) {
        expect(job.Outputs?.map((output) => output.Key)).to.deep.equal([
          '1080p.mp4',
          '720p.mp4',
          'web-720p.mp4',
        ]);
      }
      const ladders = updatesOf().filter((input) => input.ExpressionAttributeValues?.[':ladder']);
      expect(ladders.map((input) => [input.Key, input.ExpressionAttributeValues?.[':ladder']])).to.deep.equal(
        [
          [{ videoId: ROME_ID }, ['1080p', '720p', 'web-720p']],
          [{ videoId: API_VIDEO_ID }, ['1080p', '720p', 'web-720p']],
        ],
      );
      const rejected = updatesOf().filter(
        (input) => input.ExpressionAttributeValues?.[':rejected'] === 'REJECTED',
      );
      expect(rejected).to.have.length(1);
      expect(rejected[0]?.ExpressionAttributeValues).to.include({ ':errorCode': 'TOO_LARGE' });
      expect(rejected[0]?.ExpressionAttributeValues?.[':source']).to.include({
        key: 'incoming/2026/11/24/camera roll/clip.final.v2.MP4',
      });
    });

    it('rejects a .txt that the EventBridge rule delivers, with its reason, and starts no job', async () => {
      // Arrange
      const event = loadEventFixture('eventbridge-s3-object-created');

      // Act
      await handler(event);

      // Assert
      expect(et.commandCalls(CreateJobCommand)).to.have.length(0);
      const [rejected, ...others] = updatesOf();
      expect(others).to.deep.equal([]);
      expect(rejected?.Key).to.deep.equal({ videoId: API_VIDEO_ID });
      expect(rejected?.ExpressionAttributeValues).to.include({
        ':rejected': 'REJECTED',
        ':errorCode': 'UNSUPPORTED_TYPE',
      });
      expect(rejected?.ExpressionAttributeValues?.[':source']).to.deep.include({
        bucket: '24hv-upload-dev',
        key: `uploads/user-123/${API_VIDEO_ID}/my holiday notesé + more.txt`,
        size: 2048,
      });
      expect(rejected?.ExpressionAttributeValues?.[':reason']).to.contain('my holiday notesé + more.txt');
    });

    it('still processes the other records when one key is malformed, then fails the invocation', async () => {
      // Arrange
      const event = loadEventFixture<{ Records: { s3: { object: { key: string } } }[] }>('s3-put-multiple');
      const first = event.Records[0];
      if (!first) throw new Error('fixture has no records');
      first.s3.object.key = 'broken%E0%A4%A.mp4';

      // Act
      const error = await handler(event).then(
        () => undefined,
        (e: unknown) => e,
      );

      // Assert
      expect(error).to.have.property('name', 'RecordBatchError');
      const failures = (error as RecordBatchError).failures;
      expect(failures.map((f) => f.index)).to.deep.equal([0]);
      expect(failures[0]?.error).to.have.property('name', 'MalformedKeyError');
      const jobs = et.commandCalls(CreateJobCommand).map((call) => call.args[0].input.UserMetadata?.videoId);
      expect(jobs).to.deep.equal([ROME_ID, API_VIDEO_ID]);
    });

    it('still processes the other records when one fails, then fails the invocation', async () => {
      // Arrange
      const throttled = Object.assign(new Error('Rate exceeded'), {
        name: 'ProvisionedThroughputExceededException',
        $metadata: { httpStatusCode: 400 },
      });
      ddb.on(UpdateCommand, { Key: { videoId: ROME_ID } }).rejects(throttled);

      // Act
      const error = await handler(loadEventFixture('s3-put-multiple')).then(
        () => undefined,
        (e: unknown) => e,
      );

      // Assert
      // By name: the handler was imported dynamically, and tsx may give it its own module instance.
      expect(error).to.have.property('name', 'RecordBatchError');
      expect((error as RecordBatchError).failures.map((f) => f.index)).to.deep.equal([1]);
      expect((error as RecordBatchError).failures[0]?.error).to.equal(throttled);
      const jobs = et.commandCalls(CreateJobCommand).map((call) => call.args[0].input.UserMetadata?.videoId);
      expect(jobs).to.deep.equal([API_VIDEO_ID]);
    });
  });
});
