import { expect } from 'chai';
import { ENV_READS, readConfig } from '#functions/create-upload/config.ts';
import { ConfigError, ENV } from '#shared/config';

const env = () => ({
  [ENV.VIDEO_TABLE]: 'videos',
  [ENV.UPLOAD_BUCKET]: 'uploads',
  [ENV.MAX_UPLOAD_BYTES]: '1048576',
  [ENV.ALLOWED_ORIGIN]: 'https://app.example.test',
});

describe('create-upload config', () => {
  describe('readConfig', () => {
    it('reads every setting, path-style addressing off by default', () => {
      expect(readConfig(env())).to.deep.equal({
        tableName: 'videos',
        uploadBucket: 'uploads',
        maxUploadBytes: 1_048_576,
        allowedOrigin: 'https://app.example.test',
        forcePathStyle: false,
      });
    });

    for (const name of [ENV.VIDEO_TABLE, ENV.UPLOAD_BUCKET, ENV.MAX_UPLOAD_BYTES, ENV.ALLOWED_ORIGIN]) {
      it(`throws a ConfigError naming ${name} when it is missing`, () => {
        const vars: Record<string, string> = env();
        delete vars[name];

        expect(() => readConfig(vars)).to.throw(ConfigError, name);
      });
    }

    it('refuses a maximum that is not a positive integer', () => {
      expect(() => readConfig({ ...env(), [ENV.MAX_UPLOAD_BYTES]: '2GB' })).to.throw(
        ConfigError,
        /positive integer/,
      );
    });
  });

  describe('ENV_READS', () => {
    it('lists every variable readConfig reads', () => {
      expect([...ENV_READS].sort()).to.deep.equal(
        [
          ENV.VIDEO_TABLE,
          ENV.UPLOAD_BUCKET,
          ENV.MAX_UPLOAD_BYTES,
          ENV.ALLOWED_ORIGIN,
          ENV.S3_FORCE_PATH_STYLE,
        ].sort(),
      );
    });
  });
});
