import { defineConfig, ENV, setting } from '#shared/config';
import { TRANSCODER_BACKENDS } from '#shared/transcoder';
import { RENDITION_LADDERS, type RenditionLadder } from '#shared/video';

/** The backend's own settings: only the selected backend's variables are required. */
export type BackendConfig =
  | { readonly backend: 'elastic-transcoder'; readonly pipelineId: string }
  | {
      readonly backend: 'mediaconvert';
      readonly queueArn: string;
      readonly roleArn: string;
      readonly endpoint?: string;
    };

export interface TranscodeVideoConfig {
  readonly tableName: string;
  /** Where MediaConvert writes (Elastic Transcoder's pipeline fixes its own output bucket). */
  readonly transcodedBucket: string;
  readonly maxUploadBytes: number;
  readonly transcoder: BackendConfig;
  /** `source`: only the renditions that add something a viewer can see; `full`: every one. */
  readonly renditionLadder: RenditionLadder;
  /** Swept when an upload or a job belongs to a video deleted meanwhile. */
  readonly deleteVideoFunction: string;
}

const CONFIG = defineConfig<TranscodeVideoConfig>({
  tableName: setting.string(ENV.VIDEO_TABLE),
  transcodedBucket: setting.string(ENV.TRANSCODED_BUCKET),
  maxUploadBytes: setting.positiveInt(ENV.MAX_UPLOAD_BYTES),
  renditionLadder: setting.oneOf(ENV.RENDITION_LADDER, RENDITION_LADDERS),
  deleteVideoFunction: setting.string(ENV.DELETE_VIDEO_FUNCTION),
  transcoder: setting.choice(setting.oneOf(ENV.TRANSCODER, TRANSCODER_BACKENDS), {
    'elastic-transcoder': defineConfig<BackendConfig>({
      backend: setting.fixed('elastic-transcoder'),
      pipelineId: setting.string(ENV.ELASTIC_TRANSCODER_PIPELINE_ID),
    }),
    mediaconvert: defineConfig<BackendConfig>({
      backend: setting.fixed('mediaconvert'),
      queueArn: setting.string(ENV.MEDIACONVERT_QUEUE_ARN),
      roleArn: setting.string(ENV.MEDIACONVERT_ROLE_ARN),
      endpoint: setting.optionalString(ENV.MEDIACONVERT_ENDPOINT),
    }),
  }),
});

/** Every environment variable this function reads, required or optional (infra sets exactly these). */
export const ENV_READS = CONFIG.names;

/** Reads and checks the environment once; throws a ConfigError naming the first bad variable. */
export const readConfig = CONFIG.read;
