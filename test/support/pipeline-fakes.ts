import type sinon from 'sinon';
import type { S3ObjectRecord } from '#shared/events';
import type { Invocation } from '#shared/jobs';
import type { ClaimHolder, VideoRepository } from '#shared/store';

/** A VideoRepository whose every method is a Sinon stub; writers resolve true unless a test says otherwise. */
export type FakeRepository = { [K in keyof VideoRepository]: sinon.SinonStub };

/** Builds a {@link FakeRepository} in `sandbox`. */
export function fakeRepository(sandbox: sinon.SinonSandbox): FakeRepository {
  return {
    recordUpload: sandbox.stub().resolves(true),
    recordRejected: sandbox.stub().resolves(true),
    claim: sandbox.stub().resolves({ kind: 'new', attempt: 1 }),
    releaseLease: sandbox.stub().resolves(true),
    retryJob: sandbox.stub().resolves(undefined),
    // The ladder asked for is the one recorded, as on an item without one.
    recordLadder: sandbox
      .stub()
      .callsFake(async (_videoId: string, _token: string, ladder: unknown) => ladder),
    recordJobStarted: sandbox.stub().resolves(true),
    recordProgress: sandbox.stub().resolves(true),
    recordJobCompleted: sandbox.stub().resolves(true),
    recordFailed: sandbox.stub().resolves(true),
    recordRendition: sandbox.stub().resolves(true),
    recordPermission: sandbox.stub().resolves(true),
    recordProbe: sandbox.stub().resolves(true),
    tryMarkReady: sandbox.stub().resolves(false),
    updateDetails: sandbox.stub().resolves(undefined),
    recordDeletion: sandbox.stub().resolves(true),
    markPurged: sandbox.stub().resolves(true),
    get: sandbox.stub().resolves(undefined),
    listByStatus: sandbox.stub().resolves({ items: [] }),
    listCreatedBefore: sandbox.stub().resolves({ items: [] }),
    listUnpurgedTombstones: sandbox.stub().resolves({ items: [] }),
    listCatalogue: sandbox.stub().resolves({ items: [] }),
    listByOwner: sandbox.stub().resolves({ items: [] }),
  };
}

/** A logger whose methods are stubs, so tests can check what was logged and with which videoId. */
export function fakeLogger(sandbox: sinon.SinonSandbox): {
  info: sinon.SinonStub;
  warn: sinon.SinonStub;
  error: sinon.SinonStub;
  debug: sinon.SinonStub;
} {
  return { info: sandbox.stub(), warn: sandbox.stub(), error: sandbox.stub(), debug: sandbox.stub() };
}

/** One parsed S3 object event (key already decoded), as `parseS3Records` returns it. */
export function s3Object(
  bucket: string,
  key: string,
  overrides: Partial<S3ObjectRecord> = {},
): S3ObjectRecord {
  return {
    eventName: 'ObjectCreated:Put',
    bucket,
    key,
    size: 1024,
    eventTime: '2026-11-24T12:00:00.000Z',
    ...overrides,
  };
}

/** A public TRANSCODING video item as DynamoDB returns it, for handler tests whose function reads the video. */
export function transcodingItem(videoId: string): { Item: Record<string, unknown> } {
  return {
    Item: { videoId, status: 'TRANSCODING', createdAt: '2026-11-24T12:00:00.000Z', visibility: 'public' },
  };
}

/** The invocation a core test runs in: a fixed request id, and a deadline far ahead. */
export const INVOCATION: Invocation = {
  requestId: 'request-1',
  deadline: new Date('2026-11-24T12:15:00.000Z'),
};

/** A claim holder for repository tests: invocation `token`, its lease ending at `leaseUntil`. */
export function holder(token = 'request-1', leaseUntil = new Date('2026-11-24T12:15:00.000Z')): ClaimHolder {
  return { token, leaseUntil };
}
