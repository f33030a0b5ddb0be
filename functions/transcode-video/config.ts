import {
  ENV,
  type EnvName,
  optionalString,
  requireOneOf,
  requirePositiveInt,
  requireString,
} from '#shared/config';
import { TRANSCODER_BACKENDS, type TranscoderBackend } from '#shared/transcoder';
import { RENDITION_LADDERS, type RenditionLadder } from '#shared/video';

/** Every environment variable this function reads, required or optional (infra sets exactly these). */
export const ENV_READS = [
  ENV.VIDEO_TABLE,
  ENV.TRANSCODED_BUCKET,
  ENV.TRANSCODER,
  ENV.RENDITION_LADDER,
  ENV.MAX_UPLOAD_BYTES,
  ENV.ELASTIC_TRANSCODER_PIPELINE_ID,
  ENV.MEDIACONVERT_QUEUE_ARN,
  ENV.MEDIACONVERT_ROLE_ARN,
  ENV.MEDIACONVERT_ENDPOINT,
  ENV.DELETE_VIDEO_FUNCTION,
] as const satisfies readonly EnvName[];

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

/** Reads and checks the environment once; throws a ConfigError naming the first bad variable. */
export function readConfig(
  env: Readonly<Record<string, string | undefined>> = process.env,
): TranscodeVideoConfig {
  const backend: TranscoderBackend = requireOneOf(ENV.TRANSCODER, TRANSCODER_BACKENDS, env);
  const endpoint = optionalString(ENV.MEDIACONVERT_ENDPOINT, env);
  return {
    tableName: requireString(ENV.VIDEO_TABLE, env),
    transcodedBucket: requireString(ENV.TRANSCODED_BUCKET, env),
    maxUploadBytes: requirePositiveInt(ENV.MAX_UPLOAD_BYTES, env),
    renditionLadder: requireOneOf(ENV.RENDITION_LADDER, RENDITION_LADDERS, env),
    deleteVideoFunction: requireString(ENV.DELETE_VIDEO_FUNCTION, env),
    transcoder:
      backend === 'elastic-transcoder'
        ? { backend, pipelineId: requireString(ENV.ELASTIC_TRANSCODER_PIPELINE_ID, env) }
        : {
            backend,
            queueArn: requireString(ENV.MEDIACONVERT_QUEUE_ARN, env),
            roleArn: requireString(ENV.MEDIACONVERT_ROLE_ARN, env),
            ...(endpoint && { endpoint }),
          },
  };
}
