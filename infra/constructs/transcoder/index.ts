import type { Construct } from 'constructs';
import { ElasticTranscoderBackend } from './elastic-transcoder.ts';
import { MediaConvertBackend } from './mediaconvert.ts';
import type { TranscoderConstruct, TranscoderProps } from './types.ts';

export { ElasticTranscoderBackend } from './elastic-transcoder.ts';
export { MediaConvertBackend } from './mediaconvert.ts';
export type { TranscoderConstruct, TranscoderProps } from './types.ts';

/** The transcoder backend construct the config chose. */
export function transcoderBackendFor(
  scope: Construct,
  id: string,
  props: TranscoderProps,
): TranscoderConstruct {
  switch (props.config.transcoder) {
    case 'mediaconvert':
      return new MediaConvertBackend(scope, id, props);
    case 'elastic-transcoder':
      return new ElasticTranscoderBackend(scope, id, props);
  }
}
