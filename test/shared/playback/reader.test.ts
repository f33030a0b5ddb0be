import { expect } from 'chai';
import * as getVideoConfig from '#functions/get-video/config.ts';
import * as listVideosConfig from '#functions/list-videos/config.ts';
import { ConfigError, ENV } from '#shared/config';
import { CATALOGUE_ENV_READS as ENV_READS, readCatalogueConfig as readConfig } from '#shared/playback';

const env = () => ({
  [ENV.VIDEO_TABLE]: 'videos',
  [ENV.TRANSCODED_BUCKET]: 'transcoded',
  [ENV.ALLOWED_ORIGIN]: 'https://app.example.test',
});

describe('catalogue reader config', () => {
  describe('readCatalogueConfig', () => {
    it('leaves the CDN unset (presigned playback) when CDN_DOMAIN is absent or empty', () => {
      expect(readConfig(env())).to.deep.equal({
        tableName: 'videos',
        transcodedBucket: 'transcoded',
        allowedOrigin: 'https://app.example.test',
        forcePathStyle: false,
      });
      expect(readConfig({ ...env(), [ENV.CDN_DOMAIN]: ' ' })).not.to.have.property('cdnDomain');
    });

    it('reads the CDN domain and path-style addressing when set', () => {
      expect(
        readConfig({ ...env(), [ENV.CDN_DOMAIN]: 'd1.cloudfront.net', [ENV.S3_FORCE_PATH_STYLE]: 'true' }),
      ).to.deep.include({ cdnDomain: 'd1.cloudfront.net', forcePathStyle: true });
    });

    for (const name of [ENV.VIDEO_TABLE, ENV.TRANSCODED_BUCKET, ENV.ALLOWED_ORIGIN]) {
      it(`throws a ConfigError naming ${name} when it is missing`, () => {
        const vars: Record<string, string> = env();
        delete vars[name];

        expect(() => readConfig(vars)).to.throw(ConfigError, name);
      });
    }
  });

  describe('the catalogue functions', () => {
    it('list-videos and get-video read exactly the catalogue environment', () => {
      for (const config of [getVideoConfig, listVideosConfig]) {
        expect(config.ENV_READS).to.equal(ENV_READS);
        expect(config.readConfig).to.equal(readConfig);
      }
    });
  });

  describe('CATALOGUE_ENV_READS', () => {
    it('lists every variable readConfig reads', () => {
      expect([...ENV_READS].sort()).to.deep.equal(
        [
          ENV.VIDEO_TABLE,
          ENV.TRANSCODED_BUCKET,
          ENV.ALLOWED_ORIGIN,
          ENV.CDN_DOMAIN,
          ENV.S3_FORCE_PATH_STYLE,
        ].sort(),
      );
    });
  });
});
