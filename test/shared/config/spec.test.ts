import { expect } from 'chai';
import { ConfigError, defineConfig, ENV, setting } from '#shared/config';

interface Example {
  readonly tableName: string;
  readonly endpoint?: string;
  readonly forcePathStyle: boolean;
}

const EXAMPLE = defineConfig<Example>({
  tableName: setting.string(ENV.VIDEO_TABLE),
  endpoint: setting.optionalString(ENV.MEDIACONVERT_ENDPOINT),
  forcePathStyle: setting.boolean(ENV.S3_FORCE_PATH_STYLE, false),
});

type Backend =
  | { readonly backend: 'elastic-transcoder'; readonly pipelineId: string }
  | { readonly backend: 'mediaconvert'; readonly queueArn: string };

const BACKEND = setting.choice(setting.oneOf(ENV.TRANSCODER, ['elastic-transcoder', 'mediaconvert']), {
  'elastic-transcoder': defineConfig<Backend>({
    backend: setting.fixed('elastic-transcoder'),
    pipelineId: setting.string(ENV.ELASTIC_TRANSCODER_PIPELINE_ID),
  }),
  mediaconvert: defineConfig<Backend>({
    backend: setting.fixed('mediaconvert'),
    queueArn: setting.string(ENV.MEDIACONVERT_QUEUE_ARN),
  }),
});

describe('unit', () => {
  describe('config spec', () => {
    describe('defineConfig', () => {
      it('lists the variables of its settings in order, each once', () => {
        expect(EXAMPLE.names).to.deep.equal([
          ENV.VIDEO_TABLE,
          ENV.MEDIACONVERT_ENDPOINT,
          ENV.S3_FORCE_PATH_STYLE,
        ]);
      });

      it('reads every setting and leaves an unset optional one out', () => {
        // Act
        const config = EXAMPLE.read({ VIDEO_TABLE_NAME: 'videos', S3_FORCE_PATH_STYLE: 'true' });

        // Assert
        expect(config).to.deep.equal({ tableName: 'videos', forcePathStyle: true });
      });

      it('throws the ConfigError of the first bad setting', () => {
        expect(() => EXAMPLE.read({ S3_FORCE_PATH_STYLE: 'maybe' })).to.throw(
          ConfigError,
          /VIDEO_TABLE_NAME/,
        );
      });

      it('wants a setting for every field', () => {
        // @ts-expect-error: `forcePathStyle` has no setting
        const partial = defineConfig<Example>({ tableName: setting.string(ENV.VIDEO_TABLE) });

        expect(partial.names).to.deep.equal([ENV.VIDEO_TABLE]);
      });
    });

    describe('setting.choice', () => {
      it("lists every variant's variables after the choice's own", () => {
        expect(BACKEND.names).to.deep.equal([
          ENV.TRANSCODER,
          ENV.ELASTIC_TRANSCODER_PIPELINE_ID,
          ENV.MEDIACONVERT_QUEUE_ARN,
        ]);
      });

      it('reads only the chosen variant', () => {
        // Act
        const backend = BACKEND.read({ VIDEO_TRANSCODER: 'mediaconvert', MEDIACONVERT_QUEUE_ARN: 'arn:q' });

        // Assert
        expect(backend).to.deep.equal({ backend: 'mediaconvert', queueArn: 'arn:q' });
      });

      it("names the missing variable of the chosen variant, and refuses a choice it doesn't know", () => {
        expect(() => BACKEND.read({ VIDEO_TRANSCODER: 'elastic-transcoder' })).to.throw(
          ConfigError,
          /ELASTIC_TRANSCODER_PIPELINE_ID/,
        );
        expect(() => BACKEND.read({ VIDEO_TRANSCODER: 'ffmpeg' })).to.throw(ConfigError, /VIDEO_TRANSCODER/);
      });
    });
  });
});
