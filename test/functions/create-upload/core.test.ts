import { S3Client } from '@aws-sdk/client-s3';
import { expect } from 'chai';
import fc from 'fast-check';
import sinon from 'sinon';
import {
  type CreateUploadDeps,
  createUpload,
  parseUploadRequest,
  safeFilename,
} from '#functions/create-upload/core.ts';
import { BadRequestError } from '#shared/http';
import {
  ACCEPTED_EXTENSIONS,
  extensionOf,
  isVideoId,
  parseUploadKey,
  UPLOAD_POLICY_TTL_SECONDS,
} from '#shared/video';

const MAX = 1_000_000;
const NOW = new Date('2026-11-24T12:00:00.000Z');
const OWNER = 'f81d4fae-7dec-11d0-a765-00a0c91e6bf6';
// 16 bytes 0x01..0x10 → this base64url id
const RANDOM = Buffer.from(Array.from({ length: 16 }, (_, i) => i + 1));
const VIDEO_ID = RANDOM.toString('base64url');

type Condition = Record<string, string> | [string, string | number, string | number];

function decodePolicy(fields: Record<string, string>): { expiration: string; conditions: Condition[] } {
  return JSON.parse(Buffer.from(fields.Policy ?? '', 'base64').toString('utf8'));
}

describe('create-upload core', () => {
  describe('parseUploadRequest', () => {
    const valid = () => ({ filename: 'holiday.mp4', contentType: 'video/mp4', size: 1234 });

    it('accepts a video within the limit, public by default', () => {
      expect(parseUploadRequest(valid(), { maxBytes: MAX })).to.deep.equal({
        ...valid(),
        visibility: 'public',
      });
    });

    it('accepts a private upload', () => {
      expect(
        parseUploadRequest({ ...valid(), visibility: 'private' }, { maxBytes: MAX }).visibility,
      ).to.equal('private');
    });

    it('accepts a video of exactly the maximum size', () => {
      expect(parseUploadRequest({ ...valid(), size: MAX }, { maxBytes: MAX }).size).to.equal(MAX);
    });

    const refusals: Array<[string, Record<string, unknown>, string, RegExp]> = [
      ['filename is missing', { filename: undefined }, 'INVALID_REQUEST', /"filename" is required/],
      ['filename is blank', { filename: '  ' }, 'INVALID_REQUEST', /"filename" is required/],
      ['filename is too long', { filename: `${'a'.repeat(300)}.mp4` }, 'INVALID_REQUEST', /at most 255/],
      ['contentType is missing', { contentType: undefined }, 'INVALID_REQUEST', /"contentType" is required/],
      ['size is missing', { size: undefined }, 'INVALID_REQUEST', /"size" is required/],
      ['size is a string', { size: '12' }, 'INVALID_REQUEST', /"size" is required/],
      ['size is fractional', { size: 1.5 }, 'INVALID_REQUEST', /whole number/],
      [
        'contentType is not a video',
        { contentType: 'image/png' },
        'UNSUPPORTED_TYPE',
        /"image\/png" is not a video/,
      ],
      ['contentType is a trick', { contentType: 'video/' }, 'UNSUPPORTED_TYPE', /not a video content type/],
      [
        'the extension is not a video',
        { filename: 'notes.txt' },
        'UNSUPPORTED_TYPE',
        /not a supported video type/,
      ],
      ['the file is empty', { size: 0 }, 'EMPTY_FILE', /empty/],
      [
        'visibility is not one of public, private',
        { visibility: 'secret' },
        'INVALID_REQUEST',
        /"visibility"/,
      ],
      ['visibility is not a string', { visibility: true }, 'INVALID_REQUEST', /"visibility" must be one of/],
      ['visibility is null', { visibility: null }, 'INVALID_REQUEST', /"visibility"/],
      [
        'a field is unknown',
        { title: 'Holiday' },
        'INVALID_REQUEST',
        /"title" is not a field of an upload request/,
      ],
      [
        'the filename holds a NUL',
        { filename: 'a\u0000.mp4' },
        'INVALID_REQUEST',
        /control character \(U\+0000\)/,
      ],
      ['the filename holds a lone surrogate', { filename: '\ud800.mp4' }, 'INVALID_REQUEST', /U\+D800/],
      [
        'the file is over the maximum',
        { size: MAX + 1 },
        'TOO_LARGE',
        /1000001 bytes, over the 1000000-byte limit/,
      ],
    ];
    for (const [label, change, code, message] of refusals) {
      it(`answers 400 ${code} when ${label}`, () => {
        const body = { ...valid(), ...change };

        const act = () => parseUploadRequest(body, { maxBytes: MAX });

        expect(act).to.throw(BadRequestError, message).that.includes({ statusCode: 400, code });
      });
    }
  });

  describe('safeFilename', () => {
    it('keeps a plain name', () => {
      expect(safeFilename('holiday-2026_v2.mp4')).to.equal('holiday-2026_v2.mp4');
    });

    it('folds accents, replaces spaces, lower-cases the extension and drops directories', () => {
      expect(safeFilename('C:\\videos\\Été à la plage.MOV')).to.equal('Ete-a-la-plage.mov');
    });

    it('names a file with nothing usable "video"', () => {
      expect(safeFilename('日本.mp4')).to.equal('video.mp4');
    });

    it('always yields key-safe characters and keeps the extension', () => {
      fc.assert(
        fc.property(fc.string({ maxLength: 120 }), fc.constantFrom(...ACCEPTED_EXTENSIONS), (stem, ext) => {
          const input = `${stem}${ext.toUpperCase()}`;
          const name = safeFilename(input);
          return (
            /^[A-Za-z0-9._-]+$/.test(name) &&
            extensionOf(name) === extensionOf(input) &&
            !name.startsWith('.')
          );
        }),
      );
    });
  });

  describe('createUpload', () => {
    let clock: sinon.SinonFakeTimers;
    let deps: CreateUploadDeps;
    let recordUpload: sinon.SinonStub;

    beforeEach(() => {
      clock = sinon.useFakeTimers({ now: NOW, toFake: ['Date'] });
      recordUpload = sinon.stub().resolves(true);
      deps = {
        repository: { recordUpload },
        s3: new S3Client({
          region: 'eu-west-1',
          credentials: {
            accessKeyId: 'ASIAROLE',
            secretAccessKey: 'secret',
            sessionToken: 'role-session-token',
          },
        }),
        uploadBucket: 'upload-bucket',
        now: () => new Date(),
        randomBytes: () => Buffer.from(RANDOM),
      };
    });

    afterEach(() => {
      clock.restore();
    });

    const request = {
      filename: 'My Holiday.mp4',
      contentType: 'video/mp4',
      size: 4321,
      visibility: 'public' as const,
    };

    it('returns a fresh video id, the bucket URL, the fields and the expiry', async () => {
      const ticket = await createUpload(OWNER, request, deps);

      expect(ticket.videoId).to.equal(VIDEO_ID);
      expect(isVideoId(ticket.videoId)).to.equal(true);
      expect(ticket.url).to.equal('https://upload-bucket.s3.eu-west-1.amazonaws.com/');
      expect(ticket.expiresAt).to.equal('2026-11-24T12:15:00.000Z');
      expect(ticket.fields).to.include({
        key: `uploads/${OWNER}/${VIDEO_ID}/My-Holiday.mp4`,
        'Content-Type': 'video/mp4',
        bucket: 'upload-bucket',
        'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
        'X-Amz-Credential': 'ASIAROLE/20261124/eu-west-1/s3/aws4_request',
        'X-Amz-Date': '20261124T120000Z',
        'X-Amz-Security-Token': 'role-session-token',
      });
      expect(ticket.fields['X-Amz-Signature']).to.match(/^[0-9a-f]{64}$/);
    });

    it('puts the key under uploads/<owner>/<videoId>/, where the pipeline finds the same id', async () => {
      const ticket = await createUpload(OWNER, request, deps);

      expect(parseUploadKey(ticket.fields.key ?? '')).to.deep.equal({
        userId: OWNER,
        videoId: ticket.videoId,
        filename: 'My-Holiday.mp4',
      });
    });

    describe('the signed policy', () => {
      let policy: { expiration: string; conditions: Condition[] };

      beforeEach(async () => {
        policy = decodePolicy((await createUpload(OWNER, request, deps)).fields);
      });

      it('expires 15 minutes after signing, no later', () => {
        expect(UPLOAD_POLICY_TTL_SECONDS).to.be.at.most(15 * 60);
        expect(policy.expiration).to.equal('2026-11-24T12:15:00Z');
      });

      it('pins the size to the declared one, so the video list holds the real size', () => {
        expect(policy.conditions).to.deep.include(['content-length-range', request.size, request.size]);
      });

      it("pins the key exactly and to the caller's prefix for this video", () => {
        expect(policy.conditions).to.deep.include({ key: `uploads/${OWNER}/${VIDEO_ID}/My-Holiday.mp4` });
        expect(policy.conditions).to.deep.include(['starts-with', '$key', `uploads/${OWNER}/${VIDEO_ID}/`]);
      });

      it('requires a video/* Content-Type, and the declared one', () => {
        expect(policy.conditions).to.deep.include(['starts-with', '$Content-Type', 'video/']);
        expect(policy.conditions).to.deep.include({ 'Content-Type': 'video/mp4' });
      });

      it('names the bucket and the signing fields and nothing else', () => {
        expect(policy.conditions).to.deep.include({ bucket: 'upload-bucket' });
        expect(policy.conditions).to.deep.include({ 'X-Amz-Algorithm': 'AWS4-HMAC-SHA256' });
        expect(policy.conditions).to.deep.include({
          'X-Amz-Credential': 'ASIAROLE/20261124/eu-west-1/s3/aws4_request',
        });
        expect(policy.conditions).to.deep.include({ 'X-Amz-Date': '20261124T120000Z' });
        expect(policy.conditions).to.deep.include({ 'X-Amz-Security-Token': 'role-session-token' });
        expect(policy.conditions).to.have.length(10);
      });
    });

    it('records the video as an upload owned by the caller, with the original filename and its visibility', async () => {
      await createUpload(OWNER, request, deps);

      expect(recordUpload.calledOnce).to.equal(true);
      expect(recordUpload.firstCall.args[0]).to.deep.equal({
        videoId: VIDEO_ID,
        ownerId: OWNER,
        source: {
          bucket: 'upload-bucket',
          key: `uploads/${OWNER}/${VIDEO_ID}/My-Holiday.mp4`,
          filename: 'My Holiday.mp4',
          size: 4321,
        },
        visibility: 'public',
        now: NOW,
      });
    });

    it('records a private upload as private', async () => {
      await createUpload(OWNER, { ...request, visibility: 'private' }, deps);

      expect(recordUpload.firstCall.args[0]).to.include({ visibility: 'private' });
    });

    it('addresses a path-style endpoint when the client is configured for one (local cloud)', async () => {
      deps = {
        ...deps,
        s3: new S3Client({
          region: 'us-east-1',
          endpoint: 'http://127.0.0.1:4569',
          forcePathStyle: true,
          credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
        }),
      };

      const ticket = await createUpload(OWNER, request, deps);

      expect(ticket.url).to.equal('http://127.0.0.1:4569/upload-bucket');
    });

    it('fails, returning no policy, when the id already exists', async () => {
      recordUpload.resolves(false);

      let caught: unknown;
      try {
        await createUpload(OWNER, request, deps);
      } catch (error) {
        caught = error;
      }

      expect(caught)
        .to.be.instanceOf(Error)
        .with.property('message')
        .that.matches(/collided/);
    });
  });
});
