import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { type AwsClientStub, mockClient } from 'aws-sdk-client-mock';
import { expect } from 'chai';
import {
  claimHolder,
  InvalidTranscodeRequestError,
  invocationOf,
  parseTranscodeRequest,
  transcodeRequester,
} from '#shared/jobs';

const VIDEO_ID = 'Vq3x9ZkT2mB7wLp4sR8yNa';

describe('transcode requests', () => {
  describe('parseTranscodeRequest', () => {
    it('reads a replace-job and a resume-upload request', () => {
      expect(
        parseTranscodeRequest({ kind: 'replace-job', videoId: VIDEO_ID, failedJobId: 'job-1' }),
      ).to.deep.equal({
        kind: 'replace-job',
        videoId: VIDEO_ID,
        failedJobId: 'job-1',
      });
      expect(
        parseTranscodeRequest({
          kind: 'resume-upload',
          videoId: VIDEO_ID,
          bucket: 'b',
          key: 'k.mp4',
          size: 5,
        }),
      ).to.deep.equal({ kind: 'resume-upload', videoId: VIDEO_ID, bucket: 'b', key: 'k.mp4', size: 5 });
    });

    it('answers undefined for an upload event, which is no request', () => {
      expect(parseTranscodeRequest({ Records: [] })).to.equal(undefined);
      expect(parseTranscodeRequest({ source: 'aws.s3', 'detail-type': 'Object Created' })).to.equal(
        undefined,
      );
      expect(parseTranscodeRequest('replace-job')).to.equal(undefined);
    });

    for (const [label, event, pattern] of [
      ['a bad videoId', { kind: 'replace-job', videoId: 'x', failedJobId: 'j' }, /videoId/],
      ['no failedJobId', { kind: 'replace-job', videoId: VIDEO_ID }, /failedJobId/],
      ['no key', { kind: 'resume-upload', videoId: VIDEO_ID, bucket: 'b', size: 1 }, /key/],
      ['no size', { kind: 'resume-upload', videoId: VIDEO_ID, bucket: 'b', key: 'k.mp4' }, /size/],
    ] as const) {
      it(`refuses a request with ${label}`, () => {
        expect(() => parseTranscodeRequest(event)).to.throw(InvalidTranscodeRequestError, pattern);
      });
    }
  });

  describe('transcodeRequester', () => {
    let lambda: AwsClientStub<LambdaClient>;
    let client: LambdaClient;

    beforeEach(() => {
      client = new LambdaClient({ region: 'us-east-1' });
      lambda = mockClient(client);
    });
    afterEach(() => lambda.restore());

    it('invokes transcode-video asynchronously with the request as JSON', async () => {
      lambda.on(InvokeCommand).resolves({ StatusCode: 202 });

      await transcodeRequester(
        '24hv-dev-transcode-video',
        client,
      )({
        kind: 'replace-job',
        videoId: VIDEO_ID,
        failedJobId: 'job-1',
      });

      const input = lambda.commandCalls(InvokeCommand)[0]?.args[0].input;
      expect(input).to.deep.include({ FunctionName: '24hv-dev-transcode-video', InvocationType: 'Event' });
      expect(JSON.parse(new TextDecoder().decode(input?.Payload as Uint8Array))).to.deep.equal({
        kind: 'replace-job',
        videoId: VIDEO_ID,
        failedJobId: 'job-1',
      });
    });
  });

  describe('the invocation a claim belongs to', () => {
    it('is the request id of the Lambda context, its lease the deadline plus a margin', () => {
      // Arrange
      const now = new Date('2026-11-24T12:00:00.000Z');
      const context = { awsRequestId: 'request-7', getRemainingTimeInMillis: () => 30_000 };

      // Act
      const holder = claimHolder(invocationOf(context, now));

      // Assert
      expect(holder).to.deep.equal({ token: 'request-7', leaseUntil: new Date('2026-11-24T12:00:35.000Z') });
    });

    it('is a fresh id with Lambda’s longest timeout when there is no context', () => {
      const now = new Date('2026-11-24T12:00:00.000Z');

      const [a, b] = [invocationOf(undefined, now), invocationOf(undefined, now)];

      expect(a?.requestId).to.not.equal(b?.requestId);
      expect(a?.deadline).to.deep.equal(new Date('2026-11-24T12:15:00.000Z'));
    });
  });
});
