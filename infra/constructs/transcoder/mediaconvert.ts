import type { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { MediaConvertQueue } from '@cdktf/provider-aws/lib/media-convert-queue';
import { TerraformOutput } from 'cdktf';
import { Construct } from 'constructs';
import { ENV } from '#shared/config';
import type { BundledFunction } from '../bundled-function.ts';
import { FunctionEventRule } from '../event-rule.ts';
import { KEYS } from '../media-storage.ts';
import { createTranscoderJobRole } from './job-role.ts';
import type { TranscoderConstruct, TranscoderProps } from './types.ts';

/** The job states `transcode-status` acts on; SUBMITTED, INPUT_INFORMATION and NEW_WARNING carry nothing it records. */
export const MEDIACONVERT_STATUSES = [
  'PROGRESSING',
  'STATUS_UPDATE',
  'COMPLETE',
  'ERROR',
  'CANCELED',
] as const;

/**
 * The default backend: a MediaConvert queue for this stack, the service role jobs run as (read the
 * upload bucket, write the transcoded bucket), and an EventBridge rule that routes this queue's
 * "MediaConvert Job State Change" events to `transcode-status`.
 */
export class MediaConvertBackend extends Construct implements TranscoderConstruct {
  readonly backend = 'mediaconvert' as const;
  readonly queue: MediaConvertQueue;
  readonly role: IamRole;
  readonly rule: FunctionEventRule;
  private readonly props: TranscoderProps;

  constructor(scope: Construct, id: string, props: TranscoderProps) {
    super(scope, id);
    this.props = props;
    const { config } = props;
    this.queue = new MediaConvertQueue(this, 'queue', {
      name: config.namePrefix,
      description: `24-Hour Video ${config.stage}: one job per uploaded video`,
      pricingPlan: 'ON_DEMAND',
      status: 'ACTIVE',
    });
    this.role = createTranscoderJobRole(this, props, {
      name: `${config.namePrefix}-mediaconvert`,
      service: 'mediaconvert.amazonaws.com',
      policyName: 'jobs',
      writeSid: 'WriteOutputs',
    });

    // Scoped to this stack's queue: jobs of other stacks or tools in the account never reach us.
    this.rule = new FunctionEventRule(this, 'job-states', {
      name: `${config.namePrefix}-mediaconvert-job-states`,
      description: 'MediaConvert job state changes of this stack queue, to transcode-status',
      pattern: {
        source: ['aws.mediaconvert'],
        'detail-type': ['MediaConvert Job State Change'],
        detail: { queue: [this.queue.arn], status: [...MEDIACONVERT_STATUSES] },
      },
    });
    new TerraformOutput(scope, 'mediaconvert_queue_arn', { value: this.queue.arn });
  }

  grantStartJob(fn: BundledFunction): void {
    const { storage } = this.props;
    fn.addToRolePolicy({
      Sid: 'StartMediaConvertJobs',
      Effect: 'Allow',
      // CreateJob authorizes against the queue (and the presets or job templates it names: none).
      // Job states arrive through EventBridge, so nothing here reads a job back.
      Action: ['mediaconvert:CreateJob'],
      Resource: [this.queue.arn],
    });
    fn.addToRolePolicy({
      // Probe has no resource type: AWS requires "*". It reads the input with the caller's credentials,
      // hence the read grant on the uploads below.
      // https://docs.aws.amazon.com/service-authorization/latest/reference/list_awselementalmediaconvert.html
      Sid: 'ProbeInputs',
      Effect: 'Allow',
      Action: ['mediaconvert:Probe'],
      Resource: ['*'],
    });
    // Any key: an upload that did not come through the API is transcoded too. The URL comes from the
    // event, so the function needs no bucket name.
    fn.grantRead(storage.uploads, [KEYS.any], { env: false });
    fn.addToRolePolicy({
      Sid: 'PassMediaConvertRole',
      Effect: 'Allow',
      Action: ['iam:PassRole'],
      Resource: [this.role.arn],
      Condition: { StringEquals: { 'iam:PassedToService': 'mediaconvert.amazonaws.com' } },
    });
    fn.addEnvironment(ENV.TRANSCODER, this.backend);
    fn.addEnvironment(ENV.MEDIACONVERT_QUEUE_ARN, this.queue.arn);
    fn.addEnvironment(ENV.MEDIACONVERT_ROLE_ARN, this.role.arn);
    fn.addEnvironment(ENV.TRANSCODED_BUCKET, storage.transcoded.name);
  }

  grantCancelJob(fn: BundledFunction): void {
    const { config, accountId } = this.props;
    fn.addToRolePolicy({
      Sid: 'CancelMediaConvertJobs',
      Effect: 'Allow',
      // GetJob tells a canceled job from one that had already ended when CancelJob refuses. Job ids are
      // MediaConvert's, so no narrower ARN exists.
      Action: ['mediaconvert:CancelJob', 'mediaconvert:GetJob'],
      Resource: [`arn:aws:mediaconvert:${config.region}:${accountId}:jobs/*`],
    });
    fn.addEnvironment(ENV.TRANSCODER, this.backend);
  }

  grantReadJob(fn: BundledFunction): void {
    const { config, accountId } = this.props;
    fn.addToRolePolicy({
      Sid: 'ReadMediaConvertJobs',
      Effect: 'Allow',
      Action: ['mediaconvert:GetJob'],
      Resource: [`arn:aws:mediaconvert:${config.region}:${accountId}:jobs/*`],
    });
    fn.addEnvironment(ENV.TRANSCODER, this.backend);
  }

  deliverJobStatesTo(fn: BundledFunction): void {
    this.rule.deliverTo(fn, { id: 'to-status-function', permissionId: 'eventbridge-job-states' });
  }
}
