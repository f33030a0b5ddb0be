import type { VideoIndexName } from '#shared/store/schema';
import type { TranscoderBackend } from '#shared/transcoder/port';

/** An IAM action as the Service Authorization Reference spells it: `<service>:<Action>`. */
export type IamAction = `${string}:${string}`;

/** The buckets a function may be granted, by their role in the pipeline. */
export type GrantedBucket = 'uploads' | 'transcoded';

/**
 * What a call acts on, as the IAM simulation resolves it to an ARN of the synthesized stack. Keys are
 * samples of what the code names, with `<ownerId>` and `<videoId>` for the simulation's values and `*`
 * for "any characters" (`videos/<videoId>/*`).
 */
export type CallTarget =
  /** The video table. */
  | { readonly table: 'videos' }
  /** One of its indexes (what `Query` names). */
  | { readonly table: 'videos'; readonly index: VideoIndexName }
  /** Objects of a bucket. */
  | { readonly bucket: GrantedBucket; readonly key: string }
  /** A listing of a bucket, under `prefix` (the `s3:prefix` condition key). */
  | { readonly bucket: GrantedBucket; readonly listPrefix: string }
  /** A function of the stack, by its folder name. */
  | { readonly function: string }
  /** The transcoder's queue (MediaConvert), pipeline and presets (Elastic Transcoder), jobs, or job role. */
  | { readonly transcoder: 'queue' | 'pipeline' | 'preset' | 'job' | 'role' }
  /** No resource: the action has no resource type. */
  | '*';

/** One AWS call a function makes (or causes), and on what. */
export interface AwsCall {
  readonly action: IamAction;
  readonly on: CallTarget;
  /** Made only with this transcoder backend deployed. */
  readonly backend?: TranscoderBackend;
  /**
   * Not sent by the code, but authorized as the function because of this call it sends: MediaConvert's
   * Probe reads the input with the caller's credentials, CreateJob passes the job role.
   */
  readonly causedBy?: IamAction;
}

/**
 * Every AWS call one function makes: `functions/<name>/permissions.ts` exports it as `CALLS`. `npm test`
 * compares it with the SDK commands the function's bundle constructs and simulates each call against
 * the synthesized policies, so a call added without its grant (or a grant without its call) fails.
 */
export type FunctionCalls = readonly AwsCall[];
