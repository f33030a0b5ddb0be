import { expect } from 'chai';
import { ENV_READS, readConfig } from '#functions/transcode-video/config.ts';
import { ConfigError } from '#shared/config';

const BASE = {
  VIDEO_TABLE_NAME: 'videos',
  TRANSCODED_BUCKET_NAME: 'transcoded',
  MAX_UPLOAD_BYTES: '1000',
  RENDITION_LADDER: 'source',
  DELETE_VIDEO_FUNCTION_NAME: '24hv-dev-delete-video',
};

describe('transcode-video config', () => {
  describe('readConfig', () => {
    it('reads the Elastic Transcoder backend with its pipeline', () => {
      // Act
      const config = readConfig({
        ...BASE,
        VIDEO_TRANSCODER: 'elastic-transcoder',
        ELASTIC_TRANSCODER_PIPELINE_ID: 'pipe-1',
      });

      // Assert
      expect(config).to.deep.equal({
        tableName: 'videos',
        transcodedBucket: 'transcoded',
        maxUploadBytes: 1000,
        renditionLadder: 'source',
        deleteVideoFunction: '24hv-dev-delete-video',
        transcoder: { backend: 'elastic-transcoder', pipelineId: 'pipe-1' },
      });
    });

    it('reads the MediaConvert backend with its queue, role and optional endpoint', () => {
      // Act
      const config = readConfig({
        ...BASE,
        VIDEO_TRANSCODER: 'mediaconvert',
        MEDIACONVERT_QUEUE_ARN: 'arn:queue',
        MEDIACONVERT_ROLE_ARN: 'arn:role',
      });

      // Assert
      expect(config.transcoder).to.deep.equal({
        backend: 'mediaconvert',
        queueArn: 'arn:queue',
        roleArn: 'arn:role',
      });
    });

    it('names the missing variable of the selected backend', () => {
      expect(() => readConfig({ ...BASE, VIDEO_TRANSCODER: 'elastic-transcoder' })).to.throw(
        ConfigError,
        /ELASTIC_TRANSCODER_PIPELINE_ID/,
      );
    });

    it('reads the full ladder, and refuses a ladder it does not know', () => {
      const env = { ...BASE, VIDEO_TRANSCODER: 'elastic-transcoder', ELASTIC_TRANSCODER_PIPELINE_ID: 'p' };

      expect(readConfig({ ...env, RENDITION_LADDER: 'full' }).renditionLadder).to.equal('full');
      expect(() => readConfig({ ...env, RENDITION_LADDER: 'some' })).to.throw(
        ConfigError,
        /RENDITION_LADDER/,
      );
      expect(() => readConfig({ ...env, RENDITION_LADDER: undefined })).to.throw(
        ConfigError,
        /RENDITION_LADDER/,
      );
    });

    it('refuses an unknown backend', () => {
      expect(() => readConfig({ ...BASE, VIDEO_TRANSCODER: 'ffmpeg' })).to.throw(
        ConfigError,
        /VIDEO_TRANSCODER/,
      );
    });
  });

  describe('ENV_READS', () => {
    it('lists every variable readConfig reads', () => {
      // Arrange
      const read = new Set<string>();
      const env = new Proxy(
        {
          ...BASE,
          VIDEO_TRANSCODER: 'mediaconvert',
          MEDIACONVERT_QUEUE_ARN: 'q',
          MEDIACONVERT_ROLE_ARN: 'r',
        } as Record<string, string | undefined>,
        {
          get(target, name: string) {
            read.add(name);
            return target[name];
          },
        },
      );

      // Act
      readConfig(env);

      // Assert
      expect([...read].every((name) => (ENV_READS as readonly string[]).includes(name))).to.equal(true);
    });
  });
});
