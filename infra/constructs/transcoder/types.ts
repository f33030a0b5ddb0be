import type { Construct } from 'constructs';
import type { TranscoderBackend } from '#shared/transcoder/port';
import type { StageConfig } from '../../config.ts';
import type { BundledFunction } from '../bundled-function.ts';
import type { PipelineKey } from '../encryption.ts';
import type { MediaStorage } from '../media-storage.ts';

/** Props every transcoder backend construct takes. */
export interface TranscoderProps {
  readonly config: StageConfig;
  readonly accountId: string;
  readonly storage: MediaStorage;
  readonly key: PipelineKey;
}

/**
 * What the stack needs from a transcoder backend, whichever it is. Each backend creates only its own
 * resources, so a stack synthesized with one contains nothing of the other.
 */
export interface TranscoderConstruct extends Construct {
  readonly backend: TranscoderBackend;
  /** Lets `fn` start jobs (and pass whatever role the backend needs); sets the backend's variables. */
  grantStartJob(fn: BundledFunction): void;
  /** Lets `fn` cancel this stack's jobs and read their state; sets `VIDEO_TRANSCODER`. */
  grantCancelJob(fn: BundledFunction): void;
  /** Lets `fn` read the state of this stack's jobs (GetJob / ReadJob) and nothing else; sets `VIDEO_TRANSCODER`. */
  grantReadJob(fn: BundledFunction): void;
  /** Routes the backend's job-state notifications to `fn`, with a permission scoped to their source. */
  deliverJobStatesTo(fn: BundledFunction): void;
}
