import { expect } from 'chai';
import {
  ConfigError,
  ENV,
  optionalBoolean,
  optionalString,
  requireOneOf,
  requirePositiveInt,
  requireString,
} from '#shared/config';

describe('unit', () => {
  describe('config readers', () => {
    describe('requireString', () => {
      it('returns the value', () => {
        expect(requireString(ENV.VIDEO_TABLE, { VIDEO_TABLE_NAME: 'videos' })).to.equal('videos');
      });

      for (const [label, env] of [
        ['missing', {}],
        ['empty', { VIDEO_TABLE_NAME: '' }],
        ['blank', { VIDEO_TABLE_NAME: '  ' }],
      ] as const) {
        it(`throws a ConfigError naming the variable when it is ${label}`, () => {
          expect(() => requireString(ENV.VIDEO_TABLE, env)).to.throw(
            ConfigError,
            /VIDEO_TABLE_NAME is not set/,
          );
        });
      }

      it('reads process.env by default', () => {
        const name = 'TEST_ONLY_CONFIG_READER_VARIABLE';
        process.env[name] = 'from-process';
        try {
          expect(requireString(name)).to.equal('from-process');
        } finally {
          delete process.env[name];
        }
      });
    });

    describe('optionalString', () => {
      it('returns undefined when unset or empty, the value otherwise', () => {
        expect(optionalString(ENV.CDN_DOMAIN, {})).to.equal(undefined);
        expect(optionalString(ENV.CDN_DOMAIN, { CDN_DOMAIN: '' })).to.equal(undefined);
        expect(optionalString(ENV.CDN_DOMAIN, { CDN_DOMAIN: 'd111.cloudfront.net' })).to.equal(
          'd111.cloudfront.net',
        );
      });
    });

    describe('requirePositiveInt', () => {
      it('returns the number', () => {
        expect(requirePositiveInt(ENV.MAX_UPLOAD_BYTES, { MAX_UPLOAD_BYTES: '5368709120' })).to.equal(
          5368709120,
        );
      });

      for (const raw of ['0', '-1', '1.5', 'abc', '1e400', '9007199254740993']) {
        it(`refuses "${raw}", quoting it`, () => {
          expect(() => requirePositiveInt(ENV.MAX_UPLOAD_BYTES, { MAX_UPLOAD_BYTES: raw })).to.throw(
            ConfigError,
            new RegExp(`MAX_UPLOAD_BYTES must be a positive integer, got "${raw.replace('.', '\\.')}"`),
          );
        });
      }

      it('says it is not set when missing', () => {
        expect(() => requirePositiveInt(ENV.MAX_UPLOAD_BYTES, {})).to.throw(ConfigError, /not set/);
      });
    });

    describe('optionalBoolean', () => {
      it('reads true/false/1/0 and falls back when unset', () => {
        const read = (value?: string) =>
          optionalBoolean(
            ENV.S3_FORCE_PATH_STYLE,
            false,
            value === undefined ? {} : { S3_FORCE_PATH_STYLE: value },
          );

        expect([read('true'), read('1'), read('false'), read('0'), read()]).to.deep.equal([
          true,
          true,
          false,
          false,
          false,
        ]);
        expect(optionalBoolean(ENV.S3_FORCE_PATH_STYLE, true, {})).to.equal(true);
      });

      it('refuses anything else', () => {
        expect(() =>
          optionalBoolean(ENV.S3_FORCE_PATH_STYLE, false, { S3_FORCE_PATH_STYLE: 'yes' }),
        ).to.throw(ConfigError, /must be true or false, got "yes"/);
      });
    });

    describe('requireOneOf', () => {
      it('returns an allowed value and refuses others, listing the allowed ones', () => {
        const allowed = ['mediaconvert', 'elastic-transcoder'] as const;

        expect(requireOneOf(ENV.TRANSCODER, allowed, { VIDEO_TRANSCODER: 'mediaconvert' })).to.equal(
          'mediaconvert',
        );
        expect(() => requireOneOf(ENV.TRANSCODER, allowed, { VIDEO_TRANSCODER: 'ffmpeg' })).to.throw(
          ConfigError,
          /VIDEO_TRANSCODER must be one of mediaconvert, elastic-transcoder, got "ffmpeg"/,
        );
      });
    });
  });

  describe('ENV names', () => {
    it('spells every variable once, in upper snake case', () => {
      const names = Object.values(ENV);

      expect(new Set(names).size).to.equal(names.length);
      for (const name of names) expect(name).to.match(/^[A-Z][A-Z0-9_]*$/);
    });

    it('names the video table variable as infra and functions expect', () => {
      expect(ENV.VIDEO_TABLE).to.equal('VIDEO_TABLE_NAME');
    });
  });

  it('ConfigError has its name and keeps its cause', () => {
    const cause = new Error('root');
    const error = new ConfigError('bad', { cause });

    expect(error.name).to.equal('ConfigError');
    expect(error.cause).to.equal(cause);
  });
});
