import {
  CancelJobCommand,
  CreateJobCommand,
  GetJobCommand,
  type Job,
  type MediaConvertClient,
  ProbeCommand,
  type ProbeResult,
} from '@aws-sdk/client-mediaconvert';
import { isVideoId, posterBaseKey, type SourcePicture, sourceOrientation } from '#shared/video';
import { cancelOrRead, isPermanentAwsError, toJobStartError, UnrecognizedJobStateError } from '../errors.ts';
import type {
  JobCancellation,
  JobState,
  SourceProbe,
  SourceRequest,
  TranscodeRequest,
  Transcoder,
} from '../port.ts';
import { buildMediaConvertJob, s3Url } from './job-settings.ts';

/** What {@link MediaConvertTranscoder} needs: a client, the queue and service role, and where outputs go. */
export interface MediaConvertDeps {
  readonly client: MediaConvertClient;
  readonly queueArn: string;
  /** Role MediaConvert assumes to read the upload and write the outputs (the caller needs `iam:PassRole` on it). */
  readonly roleArn: string;
  readonly outputBucket: string;
}

const BACKEND_NAME = 'MediaConvert';

/**
 * The {@link Transcoder} on AWS Elemental MediaConvert, the default backend. Its Probe API reads the
 * source before the job: its picture decides the ladder and the boxes' orientation, and its tracks
 * whether to ask for audio, because a job that asks for audio from a file without an audio track fails
 * ("Audio track [1] not found in input container").
 */
export class MediaConvertTranscoder implements Transcoder {
  readonly backend = 'mediaconvert' as const;

  constructor(private readonly deps: MediaConvertDeps) {}

  async startJob(request: TranscodeRequest): Promise<string> {
    const source = request.source ?? (await this.probeSource(request));
    const input = buildMediaConvertJob(request, {
      ...this.deps,
      // When Probe cannot tell, audio is assumed (the common case) and the job reports what is wrong.
      hasAudio: source.hasAudio ?? true,
      orientation: sourceOrientation(source.picture),
    });
    let jobId: string | undefined;
    try {
      const response = await this.deps.client.send(new CreateJobCommand(input));
      jobId = response.Job?.Id;
    } catch (error) {
      throw toJobStartError(error, BACKEND_NAME, request.videoId);
    }
    if (!jobId) {
      throw toJobStartError(new Error('CreateJob returned no job id'), BACKEND_NAME, request.videoId);
    }
    return jobId;
  }

  /**
   * The source as MediaConvert's Probe API sees it (it reads the file with the caller's credentials).
   * When Probe refuses the file, nothing is known and the job itself reports what is wrong with it.
   */
  async probeSource(request: SourceRequest): Promise<SourceProbe> {
    try {
      const response = await this.deps.client.send(
        new ProbeCommand({ InputFiles: [{ FileUrl: s3Url(request.input.bucket, request.input.key) }] }),
      );
      return sourceProbeOf(response.ProbeResults?.[0]);
    } catch (error) {
      if (isPermanentAwsError(error)) {
        const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
        return { unknown: `MediaConvert could not probe the source (${reason})` };
      }
      throw toJobStartError(error, BACKEND_NAME, request.videoId);
    }
  }

  cancelJob(jobId: string): Promise<JobCancellation> {
    return cancelMediaConvertJob(this.deps.client, jobId);
  }

  getJobState(jobId: string): Promise<JobState | undefined> {
    return readMediaConvertJob(this.deps.client, jobId);
  }
}

function positive(value: number | undefined): number | undefined {
  return value !== undefined && Number.isFinite(value) && value > 0 ? value : undefined;
}

/**
 * The picture and sound of one Probe result: the first video track's size, rotation (clockwise, absent
 * when 0) and bit rate; the bit rate falls back to the container's, then to size over duration.
 * https://docs.aws.amazon.com/mediaconvert/latest/apireference/probe.html
 */
export function sourceProbeOf(result: ProbeResult | undefined): SourceProbe {
  const tracks = result?.Container?.Tracks ?? [];
  // No tracks listed: Probe could not tell, and a job without audio on a file with sound loses it.
  const hasAudio = tracks.length === 0 ? undefined : tracks.some((track) => track.TrackType === 'audio');
  const video = tracks.find((track) => track.TrackType === 'video')?.VideoProperties;
  if (!video) {
    return {
      ...(hasAudio !== undefined && { hasAudio }),
      unknown: 'MediaConvert Probe listed no video track',
    };
  }
  const fileSize = positive(result?.Metadata?.FileSize);
  const duration = positive(result?.Container?.Duration);
  const bitRate =
    positive(video.BitRate) ??
    positive(result?.Container?.BitRate) ??
    (fileSize !== undefined && duration !== undefined ? Math.round((fileSize * 8) / duration) : undefined);
  const picture: SourcePicture = {
    ...(video.Width !== undefined && { width: video.Width }),
    ...(video.Height !== undefined && { height: video.Height }),
    ...(video.Rotation !== undefined && { rotation: video.Rotation }),
    ...(bitRate !== undefined && { bitRate }),
  };
  return { picture, ...(hasAudio !== undefined && { hasAudio }) };
}

/**
 * Cancels a MediaConvert job (SUBMITTED or PROGRESSING ones can be). When MediaConvert refuses
 * because of the job's state, GetJob says which state: canceled or ended both mean nothing more
 * is written. An unknown job writes nothing either.
 */
export function cancelMediaConvertJob(
  client: Pick<MediaConvertClient, 'send'>,
  jobId: string,
): Promise<JobCancellation> {
  return cancelOrRead({
    cancel: () => client.send(new CancelJobCommand({ Id: jobId })),
    read: async () => (await client.send(new GetJobCommand({ Id: jobId }))).Job?.Status,
    notFound: 'NotFoundException',
    refused: ['ConflictException', 'BadRequestException'],
    canceled: 'CANCELED',
    finished: ['COMPLETE', 'ERROR'],
  });
}

/**
 * A MediaConvert job's state from GetJob, as its EventBridge event would carry it. GetJob lists no
 * output file paths, so a completed job's poster is the key its frame capture always writes.
 */
export async function readMediaConvertJob(
  client: Pick<MediaConvertClient, 'send'>,
  jobId: string,
): Promise<JobState | undefined> {
  let job: Job | undefined;
  try {
    job = (await client.send(new GetJobCommand({ Id: jobId }))).Job;
  } catch (error) {
    if (error instanceof Error && error.name === 'NotFoundException') return undefined;
    throw error;
  }
  if (!job) return undefined;
  const videoId = job.UserMetadata?.videoId;
  if (videoId === undefined || !isVideoId(videoId)) {
    throw new UnrecognizedJobStateError(
      `MediaConvert job ${jobId} carries no valid videoId in its user metadata; it was not started by this system.`,
    );
  }
  const base = { backend: 'mediaconvert', jobId, videoId } as const;
  switch (job.Status) {
    case 'COMPLETE': {
      const capturesPoster = (job.Settings?.OutputGroups ?? []).some((group) =>
        (group.Outputs ?? []).some(
          (output) => output.VideoDescription?.CodecSettings?.Codec === 'FRAME_CAPTURE',
        ),
      );
      return {
        ...base,
        state: 'COMPLETED',
        percent: 100,
        ...(capturesPoster && { posterKey: `${posterBaseKey(videoId)}.0000000.jpg` }),
      };
    }
    case 'ERROR':
      return {
        ...base,
        state: 'ERROR',
        errorCode: job.ErrorCode === undefined ? 'UNKNOWN' : String(job.ErrorCode),
        errorMessage: job.ErrorMessage ?? 'MediaConvert reported an error without a message.',
      };
    case 'CANCELED':
      return { ...base, state: 'CANCELED' };
    default:
      return {
        ...base,
        state: 'PROGRESSING',
        ...(job.JobPercentComplete !== undefined && { percent: job.JobPercentComplete }),
      };
  }
}
