import { expect } from 'chai';
import fc from 'fast-check';
import { buildMediaConvertJob, clientRequestToken, MEDIACONVERT_RENDITIONS, s3Url } from '#shared/transcoder';
import { BASE_RENDITION_MAX_BITRATE, HIGHER_CAP_MIN_PIXELS, RENDITION_SPECS } from '#shared/video';

const VIDEO_ID = 'Vq3x9ZkT2mB7wLp4sR8yNa';

describe('MediaConvert job settings', () => {
  describe('s3Url', () => {
    it('keeps the key exactly as stored, spaces and non-ASCII included', () => {
      expect(s3Url('uploads', 'uploads/u/my holiday videoé + more.mov')).to.equal(
        's3://uploads/uploads/u/my holiday videoé + more.mov',
      );
    });
  });

  describe('clientRequestToken', () => {
    it('is the same for the same video and input, and starts with the videoId', () => {
      // Arrange
      const request = { videoId: VIDEO_ID, input: { bucket: 'b', key: 'k.mp4' } };

      // Act
      const first = clientRequestToken(request);
      const second = clientRequestToken({ ...request, input: { ...request.input } });

      // Assert
      expect(first).to.equal(second);
      expect(first).to.match(new RegExp(`^${VIDEO_ID}-[0-9a-f]{16}$`));
    });

    it('differs when the video or the input differs', () => {
      fc.assert(
        fc.property(fc.string(), fc.string(), (keyA, keyB) => {
          fc.pre(keyA !== keyB);
          const a = clientRequestToken({ videoId: VIDEO_ID, input: { bucket: 'b', key: keyA } });
          const b = clientRequestToken({ videoId: VIDEO_ID, input: { bucket: 'b', key: keyB } });
          expect(a).to.not.equal(b);
        }),
      );
    });

    it('keeps the first attempt’s token, and gives the replacement of a failed job a new one', () => {
      // Arrange
      const request = { videoId: VIDEO_ID, input: { bucket: 'b', key: 'k.mp4' } };

      // Act
      const tokens = [1, 2, 3].map((attempt) => clientRequestToken({ ...request, attempt }));

      // Assert
      expect(tokens[0]).to.equal(clientRequestToken(request));
      expect(new Set(tokens).size).to.equal(3);
      for (const token of tokens) expect(token.length).to.be.at.most(64);
    });
  });

  describe('buildMediaConvertJob', () => {
    const options = { queueArn: 'q', roleArn: 'r', outputBucket: 'out', hasAudio: true };

    it('writes one output group per rendition whose destination base name is the rendition', () => {
      // Act
      const job = buildMediaConvertJob({ videoId: VIDEO_ID, input: { bucket: 'in', key: 'a.mp4' } }, options);

      // Assert
      const destinations = job.Settings?.OutputGroups?.map(
        (group) => group.OutputGroupSettings?.FileGroupSettings?.Destination,
      );
      expect(destinations).to.deep.equal([
        `s3://out/videos/${VIDEO_ID}/1080p`,
        `s3://out/videos/${VIDEO_ID}/720p`,
        `s3://out/videos/${VIDEO_ID}/web-720p`,
        `s3://out/videos/${VIDEO_ID}/poster`,
      ]);
      for (const group of job.Settings?.OutputGroups ?? []) {
        expect(group.Outputs).to.have.length(1);
        expect(group.Outputs?.[0]?.NameModifier).to.equal(undefined);
      }
    });

    it('asks for no audio at all when the input has none', () => {
      // Act
      const job = buildMediaConvertJob(
        { videoId: VIDEO_ID, input: { bucket: 'in', key: 'a.mp4' } },
        { ...options, hasAudio: false },
      );

      // Assert
      expect(job.Settings?.Inputs?.[0]?.AudioSelectors).to.equal(undefined);
      expect(job.Settings?.OutputGroups).to.have.length(4);
      for (const group of job.Settings?.OutputGroups ?? []) {
        expect(group.Outputs?.[0]?.AudioDescriptions).to.equal(undefined);
      }
    });
  });

  describe('the caps the rendition ladder compares with', () => {
    it('are web-720p’s cap, and half the 720 box for 720p’s cap of twice as much', () => {
      expect(BASE_RENDITION_MAX_BITRATE).to.equal(MEDIACONVERT_RENDITIONS['web-720p'].maxBitrate);
      const ratio =
        MEDIACONVERT_RENDITIONS['720p'].maxBitrate / MEDIACONVERT_RENDITIONS['web-720p'].maxBitrate;
      const box = RENDITION_SPECS['720p'];
      expect(HIGHER_CAP_MIN_PIXELS).to.equal((box.maxWidth * box.maxHeight) / ratio);
    });
  });
});
