import { ElastictranscoderPipeline } from '@cdktf/provider-aws/lib/elastictranscoder-pipeline';
import type { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { TerraformOutput } from 'cdktf';
import { Construct } from 'constructs';
import { ENV } from '#shared/config';
import { ELASTIC_TRANSCODER_PRESETS } from '#shared/transcoder/elastic-transcoder/presets';
import type { BundledFunction } from '../bundled-function.ts';
import { KMS_ENCRYPT } from '../encryption.ts';
import { EncryptedTopic } from '../events.ts';
import { createTranscoderJobRole } from './job-role.ts';
import type { TranscoderConstruct, TranscoderProps } from './types.ts';

/**
 * The legacy backend: an Elastic Transcoder pipeline from the upload bucket to the transcoded bucket,
 * notifying job states to an SNS topic. AWS discontinued Elastic Transcoder on 2025-11-13; this stays
 * for accounts and the local cloud that still run it.
 */
export class ElasticTranscoderBackend extends Construct implements TranscoderConstruct {
  readonly backend = 'elastic-transcoder' as const;
  readonly pipeline: ElastictranscoderPipeline;
  readonly role: IamRole;
  readonly statusTopic: EncryptedTopic;
  private readonly props: TranscoderProps;

  constructor(scope: Construct, id: string, props: TranscoderProps) {
    super(scope, id);
    this.props = props;
    const { config, storage, key, accountId } = props;
    this.statusTopic = new EncryptedTopic(this, 'status', {
      topicName: `${config.namePrefix}-transcoder-status`,
      key,
      accountId,
    });
    this.role = createTranscoderJobRole(this, props, {
      name: `${config.namePrefix}-elastic-transcoder`,
      service: 'elastictranscoder.amazonaws.com',
      policyName: 'pipeline',
      writeSid: 'WriteRenditions',
      statements: [
        {
          Sid: 'ListBuckets',
          Effect: 'Allow',
          Action: ['s3:ListBucket'],
          Resource: [storage.uploads.arn, storage.transcoded.arn],
        },
        {
          Sid: 'PublishJobStates',
          Effect: 'Allow',
          Action: ['sns:Publish'],
          Resource: [this.statusTopic.arn],
        },
        key.viaService('sns', KMS_ENCRYPT, 'EncryptJobStates'),
      ],
    });
    this.pipeline = new ElastictranscoderPipeline(this, 'pipeline', {
      name: config.namePrefix,
      inputBucket: storage.uploads.name,
      outputBucket: storage.transcoded.name,
      role: this.role.arn,
      notifications: {
        progressing: this.statusTopic.arn,
        completed: this.statusTopic.arn,
        warning: this.statusTopic.arn,
        error: this.statusTopic.arn,
      },
    });
    new TerraformOutput(scope, 'elastic_transcoder_pipeline_id', { value: this.pipeline.id });
    new TerraformOutput(scope, 'transcoder_status_topic_arn', { value: this.statusTopic.arn });
  }

  grantStartJob(fn: BundledFunction): void {
    const { config, accountId, storage } = this.props;
    fn.addToRolePolicy({
      Sid: 'StartElasticTranscoderJobs',
      Effect: 'Allow',
      Action: ['elastictranscoder:CreateJob'],
      // CreateJob authorizes against the pipeline and each preset the job names: the three it uses.
      Resource: [
        this.pipeline.arn,
        ...Object.values(ELASTIC_TRANSCODER_PRESETS).map(
          (preset) => `arn:aws:elastictranscoder:${config.region}:${accountId}:preset/${preset}`,
        ),
      ],
    });
    fn.addEnvironment(ENV.TRANSCODER, this.backend);
    fn.addEnvironment(ENV.ELASTIC_TRANSCODER_PIPELINE_ID, this.pipeline.id);
    fn.addEnvironment(ENV.TRANSCODED_BUCKET, storage.transcoded.name);
  }

  grantCancelJob(fn: BundledFunction): void {
    const { config, accountId } = this.props;
    fn.addToRolePolicy({
      Sid: 'CancelElasticTranscoderJobs',
      Effect: 'Allow',
      // ReadJob tells a job that ended from one still running when CancelJob refuses (only Submitted jobs cancel).
      Action: ['elastictranscoder:CancelJob', 'elastictranscoder:ReadJob'],
      Resource: [`arn:aws:elastictranscoder:${config.region}:${accountId}:job/*`],
    });
    fn.addEnvironment(ENV.TRANSCODER, this.backend);
  }

  grantReadJob(fn: BundledFunction): void {
    const { config, accountId } = this.props;
    fn.addToRolePolicy({
      Sid: 'ReadElasticTranscoderJobs',
      Effect: 'Allow',
      Action: ['elastictranscoder:ReadJob'],
      Resource: [`arn:aws:elastictranscoder:${config.region}:${accountId}:job/*`],
    });
    fn.addEnvironment(ENV.TRANSCODER, this.backend);
  }

  deliverJobStatesTo(fn: BundledFunction): void {
    this.statusTopic.subscribe(fn);
  }
}
