import type { Rendition, SourcePicture } from '#shared/video';

/** The transcoder backends 24-Hour Video can run on. */
export const TRANSCODER_BACKENDS = ['mediaconvert', 'elastic-transcoder'] as const;

/** One of {@link TRANSCODER_BACKENDS}. MediaConvert is the default; Elastic Transcoder was discontinued on 2025-11-13. */
export type TranscoderBackend = (typeof TRANSCODER_BACKENDS)[number];

/** The upload a job reads, and the video it belongs to. */
export interface SourceRequest {
  readonly videoId: string;
  readonly input: { readonly bucket: string; readonly key: string };
}

/** What a backend can tell about a source before its job: its picture (for the ladder) and its sound. */
export interface SourceProbe {
  /** Undefined when the backend could not read the picture before a job; `unknown` says why. */
  readonly picture?: SourcePicture;
  /** Undefined when the probe could not tell; the job then asks for audio. */
  readonly hasAudio?: boolean;
  /** Why the picture is unknown, for the log. */
  readonly unknown?: string;
}

/** What a transcoder needs to start the one job of a video. */
export interface TranscodeRequest extends SourceRequest {
  /** The video's ladder: the renditions the job makes, highest first; every rendition when absent. */
  readonly renditions?: readonly Rendition[];
  /** What {@link Transcoder.probeSource} found, so the backend need not probe the source again. */
  readonly source?: SourceProbe;
  /**
   * Which job of the video this is: 1, or one more for each job that failed for the transcoder's own
   * reasons and is replaced. Idempotency tokens include it, so a replacement is a new job.
   */
  readonly attempt?: number;
}

/** What became of a request to cancel a job. */
export type JobCancellation =
  /** The job is canceled (by this call or an earlier one): it writes nothing more. */
  | 'canceled'
  /** It had already ended (complete or failed), or never existed: it writes nothing more. */
  | 'finished'
  /** It can no longer be canceled and runs until it ends by itself (Elastic Transcoder once Progressing). */
  | 'running';

/** The part of a backend a deletion needs: stopping a job. */
export interface JobCanceller {
  readonly backend: TranscoderBackend;
  /** Cancels a job if it can still be canceled; idempotent, and says whether the job may still write. */
  cancelJob(jobId: string): Promise<JobCancellation>;
}

/** The part of a backend the reconciler needs: reading a job's real state back. */
export interface JobReader {
  readonly backend: TranscoderBackend;
  /**
   * The job's current state (GetJob / ReadJob) in the shape of its events, COMPLETED with the poster
   * when it captured one; undefined when the transcoder knows no such job.
   */
  getJobState(jobId: string): Promise<JobState | undefined>;
}

/** Cancelling and reading jobs: what the functions that never start one need. */
export interface JobControl extends JobCanceller, JobReader {}

/** The port every transcoder backend implements. */
export interface Transcoder extends JobControl {
  /**
   * Reads the source's picture and sound before its job, when the backend can (MediaConvert's Probe).
   * A backend that cannot says why in `unknown`. Throws a transient `JobStartError` when a retry may help.
   */
  probeSource(request: SourceRequest): Promise<SourceProbe>;
  /** Starts one job producing the request's renditions under the video's output prefix; resolves to the job id. */
  startJob(request: TranscodeRequest): Promise<string>;
}

/** Normalized job states, whatever the backend called them. */
export type JobStateName = 'PROGRESSING' | 'COMPLETED' | 'ERROR' | 'CANCELED';

/** One output as the transcoder reported it. */
export interface JobOutput {
  readonly rendition?: Rendition;
  readonly key?: string;
  readonly width?: number;
  readonly height?: number;
  readonly durationSeconds?: number;
}

/** A job-state notification from either backend, parsed. */
export interface JobState {
  readonly backend: TranscoderBackend;
  readonly jobId: string;
  /** From the job's user metadata; every job this system starts carries it. */
  readonly videoId: string;
  readonly state: JobStateName;
  /** 0–100 when the backend reports progress. */
  readonly percent?: number;
  readonly errorCode?: string;
  readonly errorMessage?: string;
  readonly outputs?: readonly JobOutput[];
  /** Key of the poster frame, when the backend captured one. */
  readonly posterKey?: string;
}
