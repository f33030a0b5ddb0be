import { ServiceError } from '#local/emulators/common';
import type { PipelineSpec } from './pipelines.ts';
import { SYSTEM_PRESETS } from './presets.ts';

/** A job's or an output's status, as the API spells it. */
export type JobStatus = 'Submitted' | 'Progressing' | 'Complete' | 'Canceled' | 'Error';

/** One output of a job (wire shape). */
export interface JobOutput {
  Id: string;
  Key: string;
  PresetId: string;
  Status: JobStatus;
  StatusDetail?: string;
  Duration?: number;
  DurationMillis?: number;
  Width?: number;
  Height?: number;
  FileSize?: number;
}

/** A job as ReadJob answers it (wire shape), and as the emulator keeps it. */
export interface Job {
  Id: string;
  Arn: string;
  PipelineId: string;
  Input: { Key: string };
  Inputs: { Key: string }[];
  OutputKeyPrefix?: string;
  Outputs: JobOutput[];
  Output?: JobOutput;
  Status: JobStatus;
  UserMetadata?: Record<string, string>;
  Timing: { SubmitTimeMillis: number; StartTimeMillis?: number; FinishTimeMillis?: number };
}

/**
 * Job error codes (https://docs.aws.amazon.com/elastictranscoder/latest/developerguide/error-handling.html):
 * the input's faults (3001 no such input, 4000 a file it cannot interpret) and the service's own
 * (3000 "Unclassified Storage Error" when S3 fails it, 9000 / 9999 "Internal Service Error").
 */
export const ERROR_CODES = {
  NO_INPUT: 3001,
  STORAGE: 3000,
  BAD_INPUT: 4000,
  ENGINE: 9000,
  INTERNAL: 9999,
} as const;

/** The states a pipeline notifies its topics of. */
export type NotifiedState = 'PROGRESSING' | 'COMPLETED' | 'ERROR';

/** The pipeline's notification of a job's state: its SNS message (JSON) and subject. */
export function notification(
  job: Job,
  state: NotifiedState,
  error?: { code: number; message: string },
): { message: string; subject: string } {
  // Message format: https://docs.aws.amazon.com/elastictranscoder/latest/developerguide/notifications.html
  const message = {
    state,
    version: '2012-09-25',
    jobId: job.Id,
    pipelineId: job.PipelineId,
    input: { key: job.Input.Key },
    inputCount: 1,
    ...(job.OutputKeyPrefix !== undefined && { outputKeyPrefix: job.OutputKeyPrefix }),
    outputs: job.Outputs.map((o) => ({
      id: o.Id,
      presetId: o.PresetId,
      key: o.Key,
      status: o.Status,
      ...(o.StatusDetail !== undefined && { statusDetail: o.StatusDetail }),
      ...(error && { errorCode: error.code }),
      ...(o.Duration !== undefined && { duration: o.Duration, durationMillis: o.DurationMillis }),
      ...(o.Width !== undefined && { width: o.Width, height: o.Height }),
      ...(o.FileSize !== undefined && { fileSize: o.FileSize }),
    })),
    ...(job.UserMetadata && { userMetadata: job.UserMetadata }),
    ...(error && { errorCode: error.code, messageDetails: error.message }),
  };
  const subject = {
    PROGRESSING: `The Amazon Elastic Transcoder job ${job.Id} has started processing.`,
    COMPLETED: `The Amazon Elastic Transcoder job ${job.Id} has finished.`,
    ERROR: `The Amazon Elastic Transcoder job ${job.Id} has failed.`,
  }[state];
  return { message: JSON.stringify(message), subject };
}

/** A new Submitted job from a CreateJob body; throws the service's ValidationException or ResourceNotFoundException. */
export function newJob(
  body: Record<string, unknown>,
  context: {
    pipelines: ReadonlyMap<string, PipelineSpec>;
    region: string;
    account: string;
    newId: () => string;
  },
): Job {
  const { newId } = context;
  const pipelineId = String(body.PipelineId ?? '');
  const pipe = context.pipelines.get(pipelineId);
  if (!pipe)
    throw new ServiceError(
      404,
      'ResourceNotFoundException',
      `The specified pipeline was not found: account=${context.account}, pipelineId=${pipelineId}.`,
    );
  const input = body.Input as { Key?: string } | undefined;
  if (!input?.Key)
    throw new ServiceError(
      400,
      'ValidationException',
      "1 validation error detected: Value null at 'input.key' failed to satisfy constraint: Member must not be null",
    );
  const outputs = (Array.isArray(body.Outputs) ? body.Outputs : body.Output ? [body.Output] : []) as {
    Key?: string;
    PresetId?: string;
  }[];
  if (outputs.length === 0)
    throw new ServiceError(400, 'ValidationException', 'The request must contain at least one output.');
  for (const output of outputs) {
    if (!output.Key)
      throw new ServiceError(
        400,
        'ValidationException',
        "Value null at 'outputs.member.key' failed to satisfy constraint: Member must not be null",
      );
    if (!output.PresetId || !SYSTEM_PRESETS[output.PresetId]) {
      throw new ServiceError(
        400,
        'ValidationException',
        `The specified preset was not found: presetId=${output.PresetId}.`,
      );
    }
  }
  const id = newId();
  const job: Job = {
    Id: id,
    Arn: `arn:aws:elastictranscoder:${context.region}:${context.account}:job/${id}`,
    PipelineId: pipelineId,
    Input: { Key: input.Key },
    Inputs: [{ Key: input.Key }],
    ...(typeof body.OutputKeyPrefix === 'string' && { OutputKeyPrefix: body.OutputKeyPrefix }),
    Outputs: outputs.map((o, i) => ({
      Id: String(i + 1),
      Key: String(o.Key),
      PresetId: String(o.PresetId),
      Status: 'Submitted',
    })),
    Status: 'Submitted',
    ...(body.UserMetadata !== undefined && { UserMetadata: body.UserMetadata as Record<string, string> }),
    Timing: { SubmitTimeMillis: Date.now() },
  };
  job.Output = job.Outputs[0];
  return job;
}
