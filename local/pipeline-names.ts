import { elasticTranscoderFromStack } from '#local/emulators/elastic-transcoder';
import { lambdaFromStack } from '#local/emulators/lambda';
import type { SynthesizedStack } from '#local/synthesized-stack';
import { ENV } from '#shared/config';

/** Physical names the stack gives the pipeline's main resources. */
export interface PipelineNames {
  readonly uploadBucket: string;
  readonly transcodedBucket: string;
  readonly videoTable: string;
}

/**
 * The names of the upload bucket, the transcoded bucket and the video table, as the functions are told
 * them in their environment (else Elastic Transcoder's input bucket): that is how the stack says which bucket is which.
 */
export function pipelineNames(stack: SynthesizedStack): PipelineNames {
  const { functions } = lambdaFromStack(stack);
  const named = (env: string) =>
    functions.map((fn) => fn.environment[env]).find((v): v is string => typeof v === 'string');
  return {
    uploadBucket: requireName(
      named(ENV.UPLOAD_BUCKET) ?? elasticTranscoderFromStack(stack).pipelines[0]?.inputBucket,
      ENV.UPLOAD_BUCKET,
    ),
    transcodedBucket: requireName(named(ENV.TRANSCODED_BUCKET), ENV.TRANSCODED_BUCKET),
    videoTable: requireName(named(ENV.VIDEO_TABLE), ENV.VIDEO_TABLE),
  };
}

function requireName(value: string | undefined, env: string): string {
  if (!value) {
    throw new Error(
      `No function in the stack has ${env} in its environment; the local cloud cannot tell which resource it is.`,
    );
  }
  return value;
}
