import type { CreateJobRequest } from '@aws-sdk/client-elastic-transcoder';
import { outputPrefix, RENDITION_SUFFIX, RENDITIONS } from '#shared/video';
import type { TranscodeRequest } from '../port.ts';
import { ELASTIC_TRANSCODER_PRESETS } from './presets.ts';

/** Builds the one CreateJob request of a video: each rendition of its ladder under the video's prefix, `videoId` in the metadata. */
export function buildCreateJobRequest(request: TranscodeRequest, pipelineId: string): CreateJobRequest {
  return {
    PipelineId: pipelineId,
    // The pipeline fixes the input bucket; Elastic Transcoder takes the key unencoded.
    Input: { Key: request.input.key },
    OutputKeyPrefix: outputPrefix(request.videoId),
    Outputs: (request.renditions ?? RENDITIONS).map((rendition) => ({
      Key: `${rendition}${RENDITION_SUFFIX}`,
      PresetId: ELASTIC_TRANSCODER_PRESETS[rendition],
    })),
    UserMetadata: { videoId: request.videoId },
  };
}
