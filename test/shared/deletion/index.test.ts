import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { type AwsClientStub, mockClient } from 'aws-sdk-client-mock';
import { expect } from 'chai';
import {
  deletionRequester,
  InvalidDeletionRequestError,
  parseDeletionRequest,
  TOMBSTONE_TTL_SECONDS,
  tombstoneExpiry,
} from '#shared/deletion';

const VIDEO_ID = 'Vq3x9ZkT2mB7wLp4sR8yNa';

describe('unit', () => {
  describe('shared/deletion', () => {
    describe('tombstoneExpiry', () => {
      it('is the deletion time in epoch seconds plus a TTL longer than the 14 days a dead letter waits', () => {
        expect(tombstoneExpiry(new Date('2026-11-24T12:00:00.500Z'))).to.equal(
          1795521600 + TOMBSTONE_TTL_SECONDS,
        );
        expect(TOMBSTONE_TTL_SECONDS).to.be.greaterThan(14 * 24 * 3600 + 6 * 3600);
      });
    });

    describe('parseDeletionRequest', () => {
      it('reads a request with and without a job', () => {
        expect(parseDeletionRequest({ videoId: VIDEO_ID, reason: 'requested' })).to.deep.equal({
          videoId: VIDEO_ID,
          reason: 'requested',
        });
        expect(parseDeletionRequest({ videoId: VIDEO_ID, reason: 'late-job', jobId: 'j' })).to.deep.equal({
          videoId: VIDEO_ID,
          reason: 'late-job',
          jobId: 'j',
        });
      });

      for (const [label, event, pattern] of [
        ['not an object', 'x', /must be an object/],
        ['an array', [], /must be an object/],
        ['a bad videoId', { videoId: 'videos/../x', reason: 'requested' }, /videoId/],
        ['an unknown reason', { videoId: VIDEO_ID, reason: 'because' }, /reason/],
        ['an empty jobId', { videoId: VIDEO_ID, reason: 'requested', jobId: '' }, /jobId/],
      ] as const) {
        it(`refuses ${label}`, () => {
          expect(() => parseDeletionRequest(event)).to.throw(InvalidDeletionRequestError, pattern);
        });
      }
    });

    describe('deletionRequester', () => {
      let lambda: AwsClientStub<LambdaClient>;
      let client: LambdaClient;

      beforeEach(() => {
        client = new LambdaClient({ region: 'us-east-1' });
        lambda = mockClient(client);
      });
      afterEach(() => lambda.restore());

      it('invokes delete-video asynchronously with the request as JSON', async () => {
        lambda.on(InvokeCommand).resolves({ StatusCode: 202 });

        await deletionRequester('24hv-dev-delete-video', client)({ videoId: VIDEO_ID, reason: 'requested' });

        const input = lambda.commandCalls(InvokeCommand)[0]?.args[0].input;
        expect(input).to.deep.include({ FunctionName: '24hv-dev-delete-video', InvocationType: 'Event' });
        expect(JSON.parse(new TextDecoder().decode(input?.Payload as Uint8Array))).to.deep.equal({
          videoId: VIDEO_ID,
          reason: 'requested',
        });
      });

      it('throws when Lambda did not accept the event', async () => {
        lambda.on(InvokeCommand).resolves({ StatusCode: 200 });

        const error = await deletionRequester(
          'f',
          client,
        )({ videoId: VIDEO_ID, reason: 'requested' }).catch((e: unknown) => e);

        expect(error)
          .to.be.instanceOf(Error)
          .with.property('message')
          .that.match(/did not accept/);
      });
    });
  });
});
