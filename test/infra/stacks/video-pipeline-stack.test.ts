import { expect } from 'chai';
import { PIPELINE_FUNCTIONS, UPLOAD_NOTIFICATION_SUFFIXES } from '#infra/stacks/video-pipeline-stack.ts';
import { ENV } from '#shared/config';
import { ACCEPTED_EXTENSIONS } from '#shared/video';
import {
  ACCOUNT,
  createFixture,
  type Fixture,
  functionStatements,
  lambda,
  refTo,
  resourcesOf,
  single,
  statements,
  synthStage,
  type Tf,
} from '#test/support/infra.ts';

const bucketRef = (tf: Tf, name: string, attr: string) =>
  refTo(tf, 'aws_s3_bucket', (b) => b.bucket === name, attr);
const fnRef = (tf: Tf, name: string, attr: string) =>
  refTo(tf, 'aws_lambda_function', (f) => f.function_name === `24hv-dev-${name}`, attr);
const companion = (tf: Tf, type: string, bucket: string) =>
  single(tf, type, (r) => r.bucket === bucketRef(tf, bucket, 'id'));
const MEDIACONVERT_RULE = '24hv-dev-mediaconvert-job-states';
const UPLOADS_RULE = '24hv-dev-uploads-other-types';
const ruleRef = (tf: Tf, name: string, attr: string) =>
  refTo(tf, 'aws_cloudwatch_event_rule', (r) => r.name === name, attr);
const isMediaCdn = (d: Tf) => String(d.comment).endsWith(': public renditions');
const isWebCdn = (d: Tf) => String(d.comment).endsWith(': web app');
const sids = (tf: Tf, fn: string) => functionStatements(tf, fn).map((s) => s.Sid);
const statement = (tf: Tf, fn: string, sid: string) => {
  const found = functionStatements(tf, fn).find((s) => s.Sid === sid);
  if (!found) throw new Error(`${fn} has no statement ${sid}`);
  return found;
};

describe('VideoPipelineStack', () => {
  let fixture: Fixture;
  before(() => {
    fixture = createFixture();
  });
  after(() => fixture.cleanup());

  describe('dev with the default backend (MediaConvert)', () => {
    let tf: Tf;
    before(() => {
      tf = synthStage(fixture, 'dev').tf;
    });

    describe('provider and state', () => {
      it('tags every resource with project, environment and managed-by', () => {
        const provider = tf.provider.aws[0];
        expect(provider.region).to.equal('us-east-1');
        expect(provider.default_tags).to.deep.equal([
          { tags: { project: '24-hour-video', environment: 'dev', 'managed-by': 'cdktf' } },
        ]);
      });

      it('keeps state in the local backend when no state bucket is configured', () => {
        expect(tf.terraform.backend).to.deep.equal({ local: { path: '../../../terraform.dev.tfstate' } });
      });

      it('outputs bucket names, table name, topic ARNs, CDN domain and the queue', () => {
        expect(Object.keys(tf.output)).to.include.members([
          'upload_bucket',
          'transcoded_bucket',
          'video_table',
          'transcoded_topic_arn',
          'cdn_domain',
          'mediaconvert_queue_arn',
          'transcoder_backend',
        ]);
        expect(tf.output.transcoder_backend.value).to.equal('mediaconvert');
      });
    });

    describe('media storage', () => {
      for (const name of ['24hv-dev-uploads', '24hv-dev-transcoded']) {
        describe(name, () => {
          it('blocks public access with all four flags', () => {
            const pab = companion(tf, 'aws_s3_bucket_public_access_block', name);
            expect(pab).to.include({
              block_public_acls: true,
              block_public_policy: true,
              ignore_public_acls: true,
              restrict_public_buckets: true,
            });
          });

          it('turns ACLs off, encrypts with the pipeline key, versions objects', () => {
            expect(companion(tf, 'aws_s3_bucket_ownership_controls', name).rule.object_ownership).to.equal(
              'BucketOwnerEnforced',
            );
            const sse = companion(tf, 'aws_s3_bucket_server_side_encryption_configuration', name).rule[0];
            expect(sse.bucket_key_enabled).to.equal(true);
            expect(sse.apply_server_side_encryption_by_default).to.deep.equal({
              sse_algorithm: 'aws:kms',
              kms_master_key_id: refTo(tf, 'aws_kms_key', () => true, 'arn'),
            });
            expect(companion(tf, 'aws_s3_bucket_versioning', name).versioning_configuration.status).to.equal(
              'Enabled',
            );
          });

          it('aborts incomplete multipart uploads after 7 days', () => {
            const rules = companion(tf, 'aws_s3_bucket_lifecycle_configuration', name).rule as Tf[];
            const abort = rules.find((r) => r.abort_incomplete_multipart_upload);
            expect(abort?.status).to.equal('Enabled');
            expect(abort?.abort_incomplete_multipart_upload).to.deep.equal([{ days_after_initiation: 7 }]);
          });

          it('denies every request without TLS, first in its only bucket policy', () => {
            const policy = companion(tf, 'aws_s3_bucket_policy', name);
            expect(statements(policy.policy)[0]).to.deep.equal({
              Sid: 'DenyInsecureTransport',
              Effect: 'Deny',
              Principal: '*',
              Action: ['s3:*'],
              Resource: [bucketRef(tf, name, 'arn'), `${bucketRef(tf, name, 'arn')}/*`],
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            });
            expect(policy.depends_on).to.have.length(1);
          });
        });
      }

      it('names buckets from the prefix and lets dev destroy them', () => {
        const buckets = Object.values(resourcesOf(tf, 'aws_s3_bucket'));
        expect(buckets.map((b) => b.bucket).sort()).to.deep.equal([
          '24hv-dev-transcoded',
          '24hv-dev-uploads',
          '24hv-dev-web',
        ]);
        expect(buckets.every((b) => b.force_destroy === true)).to.equal(true);
      });

      it('allows browser POST uploads from the web app and the dev server on the upload bucket only', () => {
        const cors = single(tf, 'aws_s3_bucket_cors_configuration');
        expect(cors.bucket).to.equal(bucketRef(tf, '24hv-dev-uploads', 'id'));
        expect(cors.cors_rule[0].allowed_methods).to.deep.equal(['POST']);
        expect(cors.cors_rule[0].allowed_origins).to.deep.equal([
          `https://${refTo(tf, 'aws_cloudfront_distribution', isWebCdn, 'domain_name')}`,
          'http://localhost:5173',
        ]);
      });

      it('lets CloudFront read only objects tagged visibility=public, through this distribution', () => {
        const policy = statements(companion(tf, 'aws_s3_bucket_policy', '24hv-dev-transcoded').policy);
        expect(policy).to.have.length(2);
        expect(policy[1]).to.deep.equal({
          Sid: 'CloudFrontReadsPublicRenditions',
          Effect: 'Allow',
          Principal: { Service: 'cloudfront.amazonaws.com' },
          Action: ['s3:GetObject'],
          Resource: [`${bucketRef(tf, '24hv-dev-transcoded', 'arn')}/videos/*`],
          Condition: {
            StringEquals: {
              'AWS:SourceArn': refTo(tf, 'aws_cloudfront_distribution', isMediaCdn, 'arn'),
              's3:ExistingObjectTag/visibility': 'public',
            },
          },
        });
        expect(statements(companion(tf, 'aws_s3_bucket_policy', '24hv-dev-uploads').policy)).to.have.length(
          1,
        );
      });
    });

    describe('bucket notifications', () => {
      it('has exactly one notification per bucket', () => {
        const notifications = Object.values(resourcesOf(tf, 'aws_s3_bucket_notification'));
        expect(notifications.map((n) => n.bucket).sort()).to.deep.equal(
          [bucketRef(tf, '24hv-dev-transcoded', 'id'), bucketRef(tf, '24hv-dev-uploads', 'id')].sort(),
        );
      });

      it('invokes transcode-video for each accepted suffix, in both cases, after the permission exists', () => {
        const n = companion(tf, 'aws_s3_bucket_notification', '24hv-dev-uploads');
        const expected = ACCEPTED_EXTENSIONS.flatMap((e) => [e, e.toUpperCase()]);
        expect(n.lambda_function.map((l: Tf) => l.filter_suffix).sort()).to.deep.equal(expected.sort());
        for (const rule of n.lambda_function) {
          expect(rule.lambda_function_arn).to.equal(fnRef(tf, 'transcode-video', 'arn'));
          expect(rule.events).to.deep.equal(['s3:ObjectCreated:*']);
          expect(rule).not.to.have.property('filter_prefix');
        }
        const permission = refTo(
          tf,
          'aws_lambda_permission',
          (p) => p.principal === 's3.amazonaws.com',
          'x',
        ).replace(/^\$\{(.*)\.x\}$/, '$1');
        expect(n.depends_on).to.deep.equal([permission]);
      });

      it('also sends every upload event to EventBridge', () => {
        const n = companion(tf, 'aws_s3_bucket_notification', '24hv-dev-uploads');
        expect(n.eventbridge).to.equal(true);
      });

      it('routes every upload the suffixes leave out to transcode-video through EventBridge', () => {
        const rule = single(tf, 'aws_cloudwatch_event_rule', (r) => r.name === UPLOADS_RULE);
        const expected = ACCEPTED_EXTENSIONS.flatMap((e) => [e, e.toUpperCase()]);
        expect(JSON.parse(rule.event_pattern)).to.deep.equal({
          source: ['aws.s3'],
          'detail-type': ['Object Created'],
          detail: {
            bucket: { name: [bucketRef(tf, '24hv-dev-uploads', 'bucket')] },
            object: { key: [{ 'anything-but': { suffix: expected } }] },
          },
        });
        const target = single(
          tf,
          'aws_cloudwatch_event_target',
          (t) => t.rule === ruleRef(tf, UPLOADS_RULE, 'name'),
        );
        expect(target.arn).to.equal(fnRef(tf, 'transcode-video', 'arn'));
        const permission = single(
          tf,
          'aws_lambda_permission',
          (p) =>
            p.principal === 'events.amazonaws.com' &&
            p.function_name === fnRef(tf, 'transcode-video', 'function_name'),
        );
        expect(permission).to.include({
          action: 'lambda:InvokeFunction',
          source_arn: ruleRef(tf, UPLOADS_RULE, 'arn'),
          source_account: ACCOUNT,
        });
        expect(target.depends_on).to.have.length(1);
        expect(target.depends_on[0]).to.match(/^aws_lambda_permission\./);
      });

      it('partitions all keys: the rule excludes exactly the suffixes the notification selects', () => {
        const n = companion(tf, 'aws_s3_bucket_notification', '24hv-dev-uploads');
        const rule = single(tf, 'aws_cloudwatch_event_rule', (r) => r.name === UPLOADS_RULE);
        const excluded = JSON.parse(rule.event_pattern).detail.object.key[0]['anything-but'].suffix;

        expect(excluded).to.deep.equal(n.lambda_function.map((l: Tf) => l.filter_suffix));
        expect(excluded).to.deep.equal([...UPLOAD_NOTIFICATION_SUFFIXES]);
      });

      it('bounds the async retries of transcode-video and dead-letters what it gives up on', () => {
        const fnName = fnRef(tf, 'transcode-video', 'function_name');
        const config = single(
          tf,
          'aws_lambda_function_event_invoke_config',
          (c) => c.function_name === fnName,
        );
        expect(config.maximum_retry_attempts).to.equal(2);
        expect(config.destination_config.on_failure.destination).to.match(/^\$\{aws_sqs_queue\./);
      });

      it('publishes only .mp4 renditions under videos/ to the topic, after the topic and key policies exist', () => {
        const n = companion(tf, 'aws_s3_bucket_notification', '24hv-dev-transcoded');
        expect(n.topic).to.deep.equal([
          {
            id: 'renditions',
            topic_arn: refTo(tf, 'aws_sns_topic', (t) => t.name === '24hv-dev-transcoded', 'arn'),
            events: ['s3:ObjectCreated:*'],
            filter_prefix: 'videos/',
            filter_suffix: '.mp4',
          },
        ]);
        // S3 test-publishes on creation, encrypted with the key: the key policy must allow S3 first.
        expect(n.depends_on).to.have.length(2);
        expect(n.depends_on[0]).to.match(/^aws_sns_topic_policy\./);
        expect(n.depends_on[1]).to.match(/^aws_kms_key_policy\./);
        expect(n).not.to.have.property('lambda_function');
      });
    });

    describe('events', () => {
      it('encrypts every topic with the pipeline key', () => {
        const topics = Object.values(resourcesOf(tf, 'aws_sns_topic'));
        expect(topics.map((t) => t.name).sort()).to.deep.equal(['24hv-dev-alarms', '24hv-dev-transcoded']);
        for (const t of topics)
          expect(t.kms_master_key_id).to.equal(refTo(tf, 'aws_kms_key', () => true, 'arn'));
      });

      it('lets only the transcoded bucket of this account publish', () => {
        const policy = single(tf, 'aws_sns_topic_policy');
        expect(statements(policy.policy)).to.deep.equal([
          {
            Sid: 'AllowS3Publish',
            Effect: 'Allow',
            Principal: { Service: 's3.amazonaws.com' },
            Action: ['sns:Publish'],
            Resource: [refTo(tf, 'aws_sns_topic', (t) => t.name === '24hv-dev-transcoded', 'arn')],
            Condition: {
              ArnLike: { 'aws:SourceArn': bucketRef(tf, '24hv-dev-transcoded', 'arn') },
              StringEquals: { 'aws:SourceAccount': ACCOUNT },
            },
          },
        ]);
      });

      it('subscribes set-permissions, extract-metadata and update-video-list, each with a scoped permission', () => {
        const topicArn = refTo(tf, 'aws_sns_topic', (t) => t.name === '24hv-dev-transcoded', 'arn');
        const subs = Object.values(resourcesOf(tf, 'aws_sns_topic_subscription'));
        expect(subs.map((s) => s.endpoint).sort()).to.deep.equal(
          ['set-permissions', 'extract-metadata', 'update-video-list'].map((f) => fnRef(tf, f, 'arn')).sort(),
        );
        for (const s of subs) expect(s).to.include({ protocol: 'lambda', topic_arn: topicArn });
        const snsPermissions = Object.values(resourcesOf(tf, 'aws_lambda_permission')).filter(
          (p) => p.principal === 'sns.amazonaws.com',
        );
        expect(snsPermissions).to.have.length(3);
        for (const p of snsPermissions) {
          expect(p.source_arn).to.equal(topicArn);
          expect(p.source_account).to.equal(ACCOUNT);
        }
      });
    });

    describe('video table', () => {
      it('is on demand, recoverable, encrypted, with the byStatus and byOwner indexes', () => {
        const table = single(tf, 'aws_dynamodb_table');
        expect(table).to.include({
          name: '24hv-dev-videos',
          billing_mode: 'PAY_PER_REQUEST',
          hash_key: 'videoId',
          deletion_protection_enabled: false,
        });
        expect(table.point_in_time_recovery).to.deep.equal({ enabled: true });
        expect(table.server_side_encryption.enabled).to.equal(true);
        expect(table.global_secondary_index).to.deep.equal([
          { name: 'byStatus', hash_key: 'status', range_key: 'createdAt', projection_type: 'ALL' },
          { name: 'byOwner', hash_key: 'ownerId', range_key: 'createdAt', projection_type: 'ALL' },
        ]);
        expect(table.attribute.map((a: Tf) => a.name)).to.deep.equal([
          'createdAt',
          'ownerId',
          'status',
          'videoId',
        ]);
      });
    });

    describe('pipeline functions', () => {
      for (const name of PIPELINE_FUNCTIONS) {
        it(`${name}: runs Node 22 with tracing, its own log group, reserved concurrency and a DLQ`, () => {
          const fn = lambda(tf, name);
          expect(fn).to.include({
            function_name: `24hv-dev-${name}`,
            runtime: 'nodejs22.x',
            handler: 'index.handler',
            reserved_concurrent_executions: 5,
          });
          expect(fn.tracing_config).to.deep.equal({ mode: 'Active' });
          expect(fn.source_code_hash).to.match(/^[A-Za-z0-9+/]{43}=$/);
          const logGroup = single(
            tf,
            'aws_cloudwatch_log_group',
            (g) => g.name === `/aws/lambda/24hv-dev-${name}`,
          );
          expect(logGroup.retention_in_days).to.equal(14);
          const dlq = single(tf, 'aws_sqs_queue', (q) => q.name === `24hv-dev-${name}-dlq`);
          expect(dlq).to.include({ sqs_managed_sse_enabled: true, message_retention_seconds: 1209600 });
          const invoke = single(
            tf,
            'aws_lambda_function_event_invoke_config',
            (c) => c.function_name === fnRef(tf, name, 'function_name'),
          );
          expect(invoke).to.include({ maximum_retry_attempts: 2, maximum_event_age_in_seconds: 21600 });
          expect(invoke.destination_config.on_failure.destination).to.equal(
            refTo(tf, 'aws_sqs_queue', (q) => q.name === `24hv-dev-${name}-dlq`, 'arn'),
          );
          const alarm = single(
            tf,
            'aws_cloudwatch_metric_alarm',
            (a) => a.alarm_name === `24hv-dev-${name}-dlq-not-empty`,
          );
          expect(alarm).to.include({ metric_name: 'ApproximateNumberOfMessagesVisible', threshold: 0 });
          expect(alarm.alarm_actions).to.deep.equal([
            refTo(tf, 'aws_sns_topic', (t) => t.name === '24hv-dev-alarms', 'arn'),
          ]);
        });
      }

      it('gives every function a role only Lambda can assume', () => {
        const names = PIPELINE_FUNCTIONS.map((n) => `24hv-dev-${n}-fn`);
        const roles = Object.values(resourcesOf(tf, 'aws_iam_role')).filter((r) => names.includes(r.name));
        expect(roles).to.have.length(PIPELINE_FUNCTIONS.length);
        for (const role of roles) {
          expect(JSON.parse(role.assume_role_policy).Statement).to.deep.equal([
            { Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: ['sts:AssumeRole'] },
          ]);
        }
      });

      it('sets each function exactly the environment its grants imply', () => {
        const env = (name: string) => Object.keys(lambda(tf, name).environment.variables).sort();
        expect(env('transcode-video')).to.deep.equal(
          [
            ENV.VIDEO_TABLE,
            ENV.TRANSCODER,
            ENV.MEDIACONVERT_QUEUE_ARN,
            ENV.MEDIACONVERT_ROLE_ARN,
            ENV.TRANSCODED_BUCKET,
            ENV.MAX_UPLOAD_BYTES,
            ENV.RENDITION_LADDER,
            ENV.DELETE_VIDEO_FUNCTION,
            'NODE_OPTIONS',
          ].sort(),
        );
        expect(env('set-permissions')).to.deep.equal(
          [ENV.VIDEO_TABLE, ENV.TRANSCODED_BUCKET, 'NODE_OPTIONS'].sort(),
        );
        expect(env('extract-metadata')).to.deep.equal(
          [
            ENV.VIDEO_TABLE,
            ENV.TRANSCODED_BUCKET,
            ENV.FFPROBE_PATH,
            ENV.DELETE_VIDEO_FUNCTION,
            'NODE_OPTIONS',
          ].sort(),
        );
        expect(env('update-video-list')).to.deep.equal([ENV.VIDEO_TABLE, 'NODE_OPTIONS'].sort());
        expect(env('transcode-status')).to.deep.equal(
          [
            ENV.VIDEO_TABLE,
            ENV.TRANSCODED_BUCKET,
            ENV.DELETE_VIDEO_FUNCTION,
            ENV.TRANSCODE_VIDEO_FUNCTION,
            'NODE_OPTIONS',
          ].sort(),
        );
        expect(env('reconcile-videos')).to.deep.equal(
          [
            ENV.VIDEO_TABLE,
            ENV.UPLOAD_BUCKET,
            ENV.TRANSCODED_BUCKET,
            ENV.TRANSCODER,
            ENV.DELETE_VIDEO_FUNCTION,
            ENV.TRANSCODE_VIDEO_FUNCTION,
            'NODE_OPTIONS',
          ].sort(),
        );
        expect(env('delete-video')).to.deep.equal(
          [ENV.VIDEO_TABLE, ENV.UPLOAD_BUCKET, ENV.TRANSCODED_BUCKET, ENV.TRANSCODER, 'NODE_OPTIONS'].sort(),
        );
        for (const name of ['transcode-video', 'extract-metadata', 'transcode-status', 'reconcile-videos']) {
          expect(lambda(tf, name).environment.variables[ENV.DELETE_VIDEO_FUNCTION], name).to.equal(
            fnRef(tf, 'delete-video', 'function_name'),
          );
        }
        const tv = lambda(tf, 'transcode-video').environment.variables;
        expect(tv[ENV.TRANSCODER]).to.equal('mediaconvert');
        expect(tv[ENV.MAX_UPLOAD_BYTES]).to.equal(String(2 * 1024 ** 3));
        expect(tv[ENV.RENDITION_LADDER]).to.equal('source');
        expect(tv[ENV.VIDEO_TABLE]).to.equal(refTo(tf, 'aws_dynamodb_table', () => true, 'name'));
      });
    });

    describe('IAM, statement by statement', () => {
      const table = (t: Tf) => refTo(t, 'aws_dynamodb_table', () => true, 'arn');
      const key = (t: Tf) => refTo(t, 'aws_kms_key', () => true, 'arn');
      const viaS3 = { StringEquals: { 'kms:ViaService': 's3.us-east-1.amazonaws.com' } };

      it('every function writes only its own log group and traces', () => {
        for (const name of PIPELINE_FUNCTIONS) {
          const logArn = refTo(
            tf,
            'aws_cloudwatch_log_group',
            (g) => g.name === `/aws/lambda/24hv-dev-${name}`,
            'arn',
          );
          expect(statement(tf, name, 'WriteOwnLogs')).to.deep.equal({
            Sid: 'WriteOwnLogs',
            Effect: 'Allow',
            Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
            Resource: [`${logArn}:*`],
          });
          expect(statement(tf, name, 'WriteTraces').Resource).to.deep.equal(['*']);
          expect(statement(tf, name, 'WriteTraces').Action).to.deep.equal([
            'xray:PutTraceSegments',
            'xray:PutTelemetryRecords',
          ]);
          expect(statement(tf, name, 'SendFailedEvents')).to.deep.equal({
            Sid: 'SendFailedEvents',
            Effect: 'Allow',
            Action: ['sqs:SendMessage'],
            Resource: [refTo(tf, 'aws_sqs_queue', (q) => q.name === `24hv-dev-${name}-dlq`, 'arn')],
          });
          // Item calls only: no pipeline function queries an index or puts a new item.
          expect(statement(tf, name, 'VideoTableItems'), name).to.deep.equal({
            Sid: 'VideoTableItems',
            Effect: 'Allow',
            Action:
              name === 'update-video-list'
                ? ['dynamodb:UpdateItem']
                : ['dynamodb:GetItem', 'dynamodb:UpdateItem'],
            Resource: [table(tf)],
          });
        }
      });

      it('encrypts every log group with the key, after the key policy lets CloudWatch Logs use it', () => {
        const groups = Object.values(resourcesOf(tf, 'aws_cloudwatch_log_group'));
        expect(groups).to.have.length(PIPELINE_FUNCTIONS.length + 5 + 1);
        for (const group of groups) {
          expect(group.kms_key_id, group.name).to.equal(key(tf));
          expect(group.depends_on, group.name).to.deep.equal([
            `aws_kms_key_policy.${Object.keys(resourcesOf(tf, 'aws_kms_key_policy'))[0]}`,
          ]);
        }
      });

      it('delete-video reads and updates single items, deletes versions only under uploads/ and videos/, and cancels jobs', () => {
        const uploads = bucketRef(tf, '24hv-dev-uploads', 'arn');
        const transcoded = bucketRef(tf, '24hv-dev-transcoded', 'arn');
        expect(sids(tf, 'delete-video')).to.deep.equal([
          'WriteOwnLogs',
          'WriteTraces',
          'SendFailedEvents',
          'VideoTableItems',
          'DeleteUploadsUploads',
          'ListVersionsUploadsUploads',
          'DeleteTranscodedVideos',
          'ListVersionsTranscodedVideos',
          'CancelMediaConvertJobs',
        ]);
        expect(statement(tf, 'delete-video', 'VideoTableItems')).to.deep.equal({
          Sid: 'VideoTableItems',
          Effect: 'Allow',
          Action: ['dynamodb:GetItem', 'dynamodb:UpdateItem'],
          Resource: [table(tf)],
        });
        expect(statement(tf, 'delete-video', 'DeleteUploadsUploads')).to.deep.equal({
          Sid: 'DeleteUploadsUploads',
          Effect: 'Allow',
          Action: ['s3:DeleteObject', 's3:DeleteObjectVersion'],
          Resource: [`${uploads}/uploads/*`],
        });
        expect(statement(tf, 'delete-video', 'ListVersionsUploadsUploads')).to.deep.equal({
          Sid: 'ListVersionsUploadsUploads',
          Effect: 'Allow',
          Action: ['s3:ListBucketVersions'],
          Resource: [uploads],
          Condition: { StringLike: { 's3:prefix': 'uploads/*' } },
        });
        expect(statement(tf, 'delete-video', 'DeleteTranscodedVideos')).to.deep.include({
          Action: ['s3:DeleteObject', 's3:DeleteObjectVersion'],
          Resource: [`${transcoded}/videos/*`],
        });
        expect(statement(tf, 'delete-video', 'ListVersionsTranscodedVideos')).to.deep.include({
          Resource: [transcoded],
          Condition: { StringLike: { 's3:prefix': 'videos/*' } },
        });
        expect(statement(tf, 'delete-video', 'CancelMediaConvertJobs')).to.deep.equal({
          Sid: 'CancelMediaConvertJobs',
          Effect: 'Allow',
          Action: ['mediaconvert:CancelJob', 'mediaconvert:GetJob'],
          Resource: [`arn:aws:mediaconvert:us-east-1:${ACCOUNT}:jobs/*`],
        });
        expect(lambda(tf, 'delete-video').timeout).to.equal(60);
      });

      it('only delete-video may delete objects or list versions', () => {
        const deleting = ['s3:DeleteObject', 's3:DeleteObjectVersion', 's3:ListBucketVersions'];
        const all = Object.values(resourcesOf(tf, 'aws_iam_role_policy')).flatMap((p) =>
          statements(p.policy),
        );
        const granted = all.filter((s) => s.Action.some((a) => deleting.includes(a)));
        const deleteVideo = functionStatements(tf, 'delete-video');
        expect(granted).to.have.length(4);
        for (const grant of granted) expect(deleteVideo).to.deep.include(grant);
      });

      it('lets exactly the functions that ask for a sweep invoke delete-video, and nothing else', () => {
        const all = Object.entries(resourcesOf(tf, 'aws_lambda_function')).map(([, f]) =>
          String(f.function_name).replace('24hv-dev-', ''),
        );
        const invokers = all.filter((name) =>
          functionStatements(tf, name).some((s) => s.Action.includes('lambda:InvokeFunction')),
        );
        expect(invokers.sort()).to.deep.equal(
          [
            'extract-metadata',
            'reconcile-videos',
            'request-deletion',
            'transcode-status',
            'transcode-video',
          ].sort(),
        );
        for (const name of invokers) {
          expect(statement(tf, name, 'InvokeDeleteVideo'), name).to.deep.equal({
            Sid: 'InvokeDeleteVideo',
            Effect: 'Allow',
            Action: ['lambda:InvokeFunction'],
            Resource: [fnRef(tf, 'delete-video', 'arn')],
          });
        }
      });

      it('lets only transcode-status and the reconciler invoke transcode-video, the one function that starts jobs', () => {
        const all = Object.values(resourcesOf(tf, 'aws_lambda_function')).map((f) =>
          String(f.function_name).replace('24hv-dev-', ''),
        );
        const invokers = all.filter((name) =>
          functionStatements(tf, name).some((s) => s.Resource.includes(fnRef(tf, 'transcode-video', 'arn'))),
        );
        expect(invokers.sort()).to.deep.equal(['reconcile-videos', 'transcode-status']);
        for (const name of invokers) {
          expect(statement(tf, name, 'InvokeTranscodeVideo'), name).to.deep.equal({
            Sid: 'InvokeTranscodeVideo',
            Effect: 'Allow',
            Action: ['lambda:InvokeFunction'],
            Resource: [fnRef(tf, 'transcode-video', 'arn')],
          });
        }
      });

      it('reconcile-videos reads and updates the table, lists uploads/, tags outputs, reads jobs and starts none', () => {
        const uploads = bucketRef(tf, '24hv-dev-uploads', 'arn');
        expect(sids(tf, 'reconcile-videos')).to.deep.equal([
          'WriteOwnLogs',
          'WriteTraces',
          'SendFailedEvents',
          'VideoTableItems',
          'QueryVideoTableIndexes',
          'ListUploadsUploads',
          'TagTranscoded',
          'ReadMediaConvertJobs',
          'InvokeTranscodeVideo',
          'InvokeDeleteVideo',
        ]);
        expect(statement(tf, 'reconcile-videos', 'ListUploadsUploads')).to.deep.include({
          Action: ['s3:ListBucket'],
          Resource: [uploads],
          Condition: { StringLike: { 's3:prefix': 'uploads/*' } },
        });
        expect(statement(tf, 'reconcile-videos', 'ReadMediaConvertJobs')).to.deep.equal({
          Sid: 'ReadMediaConvertJobs',
          Effect: 'Allow',
          Action: ['mediaconvert:GetJob'],
          Resource: [`arn:aws:mediaconvert:us-east-1:${ACCOUNT}:jobs/*`],
        });
        const actions = functionStatements(tf, 'reconcile-videos').flatMap((s) => s.Action);
        expect(actions).not.to.include.members([
          'mediaconvert:CreateJob',
          'mediaconvert:CancelJob',
          'iam:PassRole',
        ]);
      });

      it('runs reconcile-videos every 5 minutes through an EventBridge schedule allowed to invoke it', () => {
        const rule = single(tf, 'aws_cloudwatch_event_rule', (r) => r.name === '24hv-dev-reconcile-videos');
        expect(rule.schedule_expression).to.equal('rate(5 minutes)');
        expect(rule).not.to.have.property('event_pattern');
        const target = single(
          tf,
          'aws_cloudwatch_event_target',
          (t) => t.rule === ruleRef(tf, '24hv-dev-reconcile-videos', 'name'),
        );
        expect(target.arn).to.equal(fnRef(tf, 'reconcile-videos', 'arn'));
        const permission = single(
          tf,
          'aws_lambda_permission',
          (p) => p.statement_id === 'invoke-eventbridge-schedule',
        );
        expect(permission).to.include({ principal: 'events.amazonaws.com', action: 'lambda:InvokeFunction' });
        expect(permission.function_name).to.equal(fnRef(tf, 'reconcile-videos', 'function_name'));
        expect(lambda(tf, 'reconcile-videos').timeout).to.equal(120);
      });

      it('turns on TTL for the tombstones on the video table', () => {
        expect(single(tf, 'aws_dynamodb_table').ttl).to.deep.equal({
          attribute_name: 'expiresAt',
          enabled: true,
        });
      });

      it('transcode-video starts MediaConvert jobs in this queue and passes exactly the MediaConvert role', () => {
        expect(sids(tf, 'transcode-video')).to.deep.equal([
          'WriteOwnLogs',
          'WriteTraces',
          'SendFailedEvents',
          'VideoTableItems',
          'StartMediaConvertJobs',
          'ProbeInputs',
          'ReadUploads',
          'DecryptUploads',
          'PassMediaConvertRole',
          'CancelMediaConvertJobs',
          'InvokeDeleteVideo',
        ]);
        expect(statement(tf, 'transcode-video', 'StartMediaConvertJobs')).to.deep.equal({
          Sid: 'StartMediaConvertJobs',
          Effect: 'Allow',
          Action: ['mediaconvert:CreateJob'],
          // CreateJob has no job resource type: the queue is what it authorizes against.
          Resource: [refTo(tf, 'aws_media_convert_queue', () => true, 'arn')],
        });
        expect(statement(tf, 'transcode-video', 'ProbeInputs')).to.deep.include({
          Action: ['mediaconvert:Probe'],
          Resource: ['*'],
        });
        expect(statement(tf, 'transcode-video', 'ReadUploads').Resource).to.deep.equal([
          `${bucketRef(tf, '24hv-dev-uploads', 'arn')}/*`,
        ]);
        // Probe reads the upload by the URL the event named: the function needs no bucket variable.
        expect(lambda(tf, 'transcode-video').environment.variables).not.to.have.property(ENV.UPLOAD_BUCKET);
        expect(statement(tf, 'transcode-video', 'DecryptUploads')).to.deep.include({
          Action: ['kms:Decrypt'],
          Resource: [key(tf)],
          Condition: viaS3,
        });
        expect(statement(tf, 'transcode-video', 'PassMediaConvertRole')).to.deep.equal({
          Sid: 'PassMediaConvertRole',
          Effect: 'Allow',
          Action: ['iam:PassRole'],
          Resource: [refTo(tf, 'aws_iam_role', (r) => r.name === '24hv-dev-mediaconvert', 'arn')],
          Condition: { StringEquals: { 'iam:PassedToService': 'mediaconvert.amazonaws.com' } },
        });
      });

      it('only transcode-video may pass a role', () => {
        for (const name of PIPELINE_FUNCTIONS.filter((n) => n !== 'transcode-video')) {
          expect(functionStatements(tf, name).flatMap((s) => s.Action)).not.to.include('iam:PassRole');
        }
      });

      it('set-permissions reads and writes tags of renditions only', () => {
        expect(sids(tf, 'set-permissions')).to.deep.equal([
          'WriteOwnLogs',
          'WriteTraces',
          'SendFailedEvents',
          'VideoTableItems',
          'TagTranscoded',
        ]);
        expect(statement(tf, 'set-permissions', 'TagTranscoded')).to.deep.equal({
          Sid: 'TagTranscoded',
          Effect: 'Allow',
          // Current versions only: applyVisibilityTag never names a VersionId.
          Action: ['s3:GetObjectTagging', 's3:PutObjectTagging'],
          Resource: [`${bucketRef(tf, '24hv-dev-transcoded', 'arn')}/videos/*.mp4`],
        });
      });

      it('extract-metadata reads renditions and writes metadata.json only', () => {
        const transcoded = bucketRef(tf, '24hv-dev-transcoded', 'arn');
        expect(sids(tf, 'extract-metadata')).to.deep.equal([
          'WriteOwnLogs',
          'WriteTraces',
          'SendFailedEvents',
          'VideoTableItems',
          'ReadTranscoded',
          'DecryptTranscoded',
          'PutTranscoded',
          'EncryptTranscoded',
          'InvokeDeleteVideo',
        ]);
        expect(statement(tf, 'extract-metadata', 'ReadTranscoded')).to.deep.include({
          Action: ['s3:GetObject'],
          Resource: [`${transcoded}/videos/*.mp4`],
        });
        expect(statement(tf, 'extract-metadata', 'DecryptTranscoded')).to.deep.include({
          Action: ['kms:Decrypt'],
          Resource: [key(tf)],
          Condition: viaS3,
        });
        expect(statement(tf, 'extract-metadata', 'PutTranscoded')).to.deep.include({
          Action: ['s3:PutObject'],
          Resource: [`${transcoded}/videos/*/metadata.json`],
        });
        // One PutObject: S3 needs a data key, and decrypts nothing.
        expect(statement(tf, 'extract-metadata', 'EncryptTranscoded')).to.deep.include({
          Action: ['kms:GenerateDataKey'],
          Resource: [key(tf)],
          Condition: viaS3,
        });
      });

      it('update-video-list touches only the table', () => {
        expect(sids(tf, 'update-video-list')).to.deep.equal([
          'WriteOwnLogs',
          'WriteTraces',
          'SendFailedEvents',
          'VideoTableItems',
        ]);
      });

      it('transcode-status touches the table and may tag only the poster and the renditions (untagged on FAILED)', () => {
        expect(sids(tf, 'transcode-status')).to.deep.equal([
          'WriteOwnLogs',
          'WriteTraces',
          'SendFailedEvents',
          'VideoTableItems',
          'TagTranscoded',
          'InvokeDeleteVideo',
          'InvokeTranscodeVideo',
        ]);
        expect(statement(tf, 'transcode-status', 'TagTranscoded').Resource).to.deep.equal([
          `${bucketRef(tf, '24hv-dev-transcoded', 'arn')}/videos/*/poster.*`,
          `${bucketRef(tf, '24hv-dev-transcoded', 'arn')}/videos/*.mp4`,
        ]);
      });

      it('the MediaConvert service role reads uploads and writes videos/ of the transcoded bucket only', () => {
        const role = single(tf, 'aws_iam_role', (r) => r.name === '24hv-dev-mediaconvert');
        expect(JSON.parse(role.assume_role_policy).Statement[0].Principal).to.deep.equal({
          Service: 'mediaconvert.amazonaws.com',
        });
        const policy = single(
          tf,
          'aws_iam_role_policy',
          (p) => p.role === refTo(tf, 'aws_iam_role', (r) => r.name === '24hv-dev-mediaconvert', 'id'),
        );
        expect(statements(policy.policy)).to.deep.equal([
          {
            Sid: 'ReadUploads',
            Effect: 'Allow',
            Action: ['s3:GetObject'],
            Resource: [`${bucketRef(tf, '24hv-dev-uploads', 'arn')}/*`],
          },
          {
            Sid: 'WriteOutputs',
            Effect: 'Allow',
            Action: ['s3:PutObject', 's3:AbortMultipartUpload'],
            Resource: [`${bucketRef(tf, '24hv-dev-transcoded', 'arn')}/videos/*`],
          },
          {
            // Outputs are written in parts: S3 decrypts the parts to assemble them.
            Sid: 'UseBucketKey',
            Effect: 'Allow',
            Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
            Resource: [key(tf)],
            Condition: viaS3,
          },
        ]);
      });

      it('the key lets CloudWatch Logs use it for this stack’s log groups only', () => {
        const logs = statements(single(tf, 'aws_kms_key_policy').policy).find(
          (s) => s.Sid === 'CloudWatchLogsEncryptsLogGroups',
        );
        expect(logs).to.deep.include({
          Principal: { Service: 'logs.us-east-1.amazonaws.com' },
          Resource: ['*'],
          Condition: {
            ArnLike: {
              'kms:EncryptionContext:aws:logs:arn': [
                `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:/aws/lambda/24hv-dev-*`,
                `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:/aws/apigateway/24hv-dev-*`,
              ],
            },
          },
        });
        expect(logs?.Action).to.include.members(['kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey']);
      });

      it('the key lets S3, CloudWatch and the two distributions use it, each scoped', () => {
        const policy = statements(single(tf, 'aws_kms_key_policy').policy).filter(
          (s) => s.Sid !== 'CloudWatchLogsEncryptsLogGroups',
        );
        expect(policy.map((s) => s.Sid)).to.deep.equal([
          'AccountAdministers',
          'S3PublishesEvents',
          'CloudWatchPublishesAlarms',
          'CloudFrontDecryptsRenditions',
          'CloudFrontDecryptsWebApp',
        ]);
        expect(policy[3]?.Condition).to.deep.equal({
          StringEquals: { 'AWS:SourceArn': refTo(tf, 'aws_cloudfront_distribution', isMediaCdn, 'arn') },
        });
        expect(policy[4]?.Condition).to.deep.equal({
          StringEquals: { 'AWS:SourceArn': refTo(tf, 'aws_cloudfront_distribution', isWebCdn, 'arn') },
        });
        for (const s of policy.slice(3)) expect(s.Action).to.deep.equal(['kms:Decrypt']);
        for (const s of policy.slice(1, 3)) {
          expect(s.Condition).to.deep.equal({
            StringEquals: { 'aws:SourceAccount': ACCOUNT },
          });
        }
        expect(single(tf, 'aws_kms_key').enable_key_rotation).to.equal(true);
      });
    });

    describe('MediaConvert backend', () => {
      it('creates an on-demand queue named after the stack', () => {
        expect(single(tf, 'aws_media_convert_queue')).to.include({
          name: '24hv-dev',
          pricing_plan: 'ON_DEMAND',
          status: 'ACTIVE',
        });
      });

      it("routes only this queue's job state changes to transcode-status", () => {
        const rule = single(tf, 'aws_cloudwatch_event_rule', (r) => r.name === MEDIACONVERT_RULE);
        expect(JSON.parse(rule.event_pattern)).to.deep.equal({
          source: ['aws.mediaconvert'],
          'detail-type': ['MediaConvert Job State Change'],
          detail: {
            queue: [refTo(tf, 'aws_media_convert_queue', () => true, 'arn')],
            status: ['PROGRESSING', 'STATUS_UPDATE', 'COMPLETE', 'ERROR', 'CANCELED'],
          },
        });
        const target = single(
          tf,
          'aws_cloudwatch_event_target',
          (t) => t.rule === ruleRef(tf, MEDIACONVERT_RULE, 'name'),
        );
        expect(target.arn).to.equal(fnRef(tf, 'transcode-status', 'arn'));
        const permission = single(
          tf,
          'aws_lambda_permission',
          (p) =>
            p.principal === 'events.amazonaws.com' && p.source_arn === ruleRef(tf, MEDIACONVERT_RULE, 'arn'),
        );
        expect(permission).to.include({
          function_name: fnRef(tf, 'transcode-status', 'function_name'),
          source_account: ACCOUNT,
        });
      });
    });

    describe('ffprobe layer', () => {
      it('is an x86_64 Node 22 layer attached to extract-metadata only, with FFPROBE_PATH in /opt', () => {
        const layer = single(tf, 'aws_lambda_layer_version');
        expect(layer).to.include({ layer_name: '24hv-dev-ffprobe' });
        expect(layer.compatible_architectures).to.deep.equal(['x86_64']);
        expect(layer.compatible_runtimes).to.deep.equal(['nodejs22.x']);
        expect(layer.source_code_hash).to.match(/^[A-Za-z0-9+/]{43}=$/);
        const layerArn = refTo(tf, 'aws_lambda_layer_version', () => true, 'arn');
        const em = lambda(tf, 'extract-metadata');
        expect(em.layers).to.deep.equal([layerArn]);
        expect(em.architectures).to.deep.equal(['x86_64']);
        expect(em.environment.variables[ENV.FFPROBE_PATH]).to.equal('/opt/bin/ffprobe');
        for (const name of PIPELINE_FUNCTIONS.filter((n) => n !== 'extract-metadata')) {
          expect(lambda(tf, name).layers ?? []).to.deep.equal([]);
          expect(lambda(tf, name).architectures).to.deep.equal(['arm64']);
        }
      });
    });

    describe('delivery', () => {
      it('serves the transcoded bucket over HTTPS only through Origin Access Control', () => {
        const isTranscodedOac = (o: Tf) => o.name === '24hv-dev-transcoded';
        const oac = single(tf, 'aws_cloudfront_origin_access_control', isTranscodedOac);
        expect(oac).to.include({
          origin_access_control_origin_type: 's3',
          signing_behavior: 'always',
          signing_protocol: 'sigv4',
        });
        const cdn = single(tf, 'aws_cloudfront_distribution', isMediaCdn);
        expect(cdn.origin).to.have.length(1);
        expect(cdn.origin[0].domain_name).to.equal(
          bucketRef(tf, '24hv-dev-transcoded', 'bucket_regional_domain_name'),
        );
        expect(cdn.origin[0].origin_access_control_id).to.equal(
          refTo(tf, 'aws_cloudfront_origin_access_control', isTranscodedOac, 'id'),
        );
        expect(cdn.default_cache_behavior.viewer_protocol_policy).to.equal('https-only');
        expect(cdn.default_cache_behavior.allowed_methods).to.deep.equal(['GET', 'HEAD']);
        // Without a domain of its own: the *.cloudfront.net certificate, which also accepts TLS 1.0.
        expect(cdn.viewer_certificate).to.deep.equal({ cloudfront_default_certificate: true });
        expect(cdn.aliases).to.equal(undefined);
      });

      it('serves at MEDIA_DOMAIN with its certificate, SNI and TLS 1.2 or later, and builds public URLs with it', () => {
        const certificateArn =
          'arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d';
        const { tf: custom } = synthStage(fixture, 'dev', {
          MEDIA_DOMAIN: 'media.example.com',
          MEDIA_CERTIFICATE_ARN: certificateArn,
        });
        const cdn = single(custom, 'aws_cloudfront_distribution', isMediaCdn);
        expect(cdn.aliases).to.deep.equal(['media.example.com']);
        expect(cdn.viewer_certificate).to.deep.equal({
          acm_certificate_arn: certificateArn,
          ssl_support_method: 'sni-only',
          minimum_protocol_version: 'TLSv1.2_2021',
        });
        for (const name of ['list-videos', 'get-video', 'update-video']) {
          expect(lambda(custom, name).environment.variables[ENV.CDN_DOMAIN], name).to.equal(
            'media.example.com',
          );
        }
        expect(custom.output.cdn_domain.value).to.equal('media.example.com');
        expect(custom.output.cdn_distribution_domain.value).to.equal(
          refTo(custom, 'aws_cloudfront_distribution', isMediaCdn, 'domain_name'),
        );
        expect(tf.output).not.to.have.property('cdn_distribution_domain');
        // The app's Content-Security-Policy lets it play from there.
        expect(JSON.stringify(resourcesOf(custom, 'aws_cloudfront_response_headers_policy'))).to.contain(
          "media-src 'self' https://media.example.com",
        );
      });
    });

    describe('exclusivity', () => {
      it('contains nothing of Elastic Transcoder', () => {
        const text = JSON.stringify(tf);
        expect(Object.keys(tf.resource).filter((t) => t.startsWith('aws_elastictranscoder'))).to.deep.equal(
          [],
        );
        expect(text).not.to.match(/elastictranscoder|elastic-transcoder|ELASTIC_TRANSCODER/);
        expect(Object.values(resourcesOf(tf, 'aws_sns_topic')).map((t) => t.name)).not.to.include(
          '24hv-dev-transcoder-status',
        );
      });
    });
  });

  describe('dev with VIDEO_TRANSCODER=elastic-transcoder', () => {
    let tf: Tf;
    before(() => {
      tf = synthStage(fixture, 'dev', { VIDEO_TRANSCODER: 'elastic-transcoder' }).tf;
    });

    it('creates a pipeline from the upload bucket to the transcoded bucket, notifying its status topic', () => {
      const pipeline = single(tf, 'aws_elastictranscoder_pipeline');
      const topicArn = refTo(tf, 'aws_sns_topic', (t) => t.name === '24hv-dev-transcoder-status', 'arn');
      expect(pipeline).to.include({
        name: '24hv-dev',
        input_bucket: bucketRef(tf, '24hv-dev-uploads', 'bucket'),
        output_bucket: bucketRef(tf, '24hv-dev-transcoded', 'bucket'),
        role: refTo(tf, 'aws_iam_role', (r) => r.name === '24hv-dev-elastic-transcoder', 'arn'),
      });
      expect(pipeline.notifications).to.deep.equal({
        progressing: topicArn,
        completed: topicArn,
        warning: topicArn,
        error: topicArn,
      });
    });

    it('gives the pipeline role read on uploads, write on videos/, and publish on its topic only', () => {
      const roleId = refTo(tf, 'aws_iam_role', (r) => r.name === '24hv-dev-elastic-transcoder', 'id');
      const policy = statements(single(tf, 'aws_iam_role_policy', (p) => p.role === roleId).policy);
      expect(policy.map((s) => [s.Sid, s.Action])).to.deep.equal([
        ['ReadUploads', ['s3:GetObject']],
        ['WriteRenditions', ['s3:PutObject', 's3:AbortMultipartUpload']],
        ['UseBucketKey', ['kms:GenerateDataKey', 'kms:Decrypt']],
        ['ListBuckets', ['s3:ListBucket']],
        ['PublishJobStates', ['sns:Publish']],
        ['EncryptJobStates', ['kms:GenerateDataKey', 'kms:Decrypt']],
      ]);
      expect(policy[4]?.Resource).to.deep.equal([
        refTo(tf, 'aws_sns_topic', (t) => t.name === '24hv-dev-transcoder-status', 'arn'),
      ]);
      expect(policy[1]?.Resource).to.deep.equal([`${bucketRef(tf, '24hv-dev-transcoded', 'arn')}/videos/*`]);
    });

    it('subscribes transcode-status to the status topic with a permission scoped to it', () => {
      const topicArn = refTo(tf, 'aws_sns_topic', (t) => t.name === '24hv-dev-transcoder-status', 'arn');
      const sub = single(tf, 'aws_sns_topic_subscription', (s) => s.topic_arn === topicArn);
      expect(sub.endpoint).to.equal(fnRef(tf, 'transcode-status', 'arn'));
      const permission = single(
        tf,
        'aws_lambda_permission',
        (p) => p.function_name === fnRef(tf, 'transcode-status', 'function_name'),
      );
      expect(permission).to.include({ principal: 'sns.amazonaws.com', source_arn: topicArn });
    });

    it('lets transcode-video create jobs on this pipeline and sets its id', () => {
      const env = lambda(tf, 'transcode-video').environment.variables;
      expect(env[ENV.TRANSCODER]).to.equal('elastic-transcoder');
      expect(env[ENV.ELASTIC_TRANSCODER_PIPELINE_ID]).to.equal(
        refTo(tf, 'aws_elastictranscoder_pipeline', () => true, 'id'),
      );
      expect(env).not.to.have.any.keys(ENV.MEDIACONVERT_QUEUE_ARN, ENV.MEDIACONVERT_ROLE_ARN);
      expect(statement(tf, 'transcode-video', 'StartElasticTranscoderJobs')).to.deep.equal({
        Sid: 'StartElasticTranscoderJobs',
        Effect: 'Allow',
        Action: ['elastictranscoder:CreateJob'],
        // The pipeline and exactly the three system presets the job names.
        Resource: [
          refTo(tf, 'aws_elastictranscoder_pipeline', () => true, 'arn'),
          ...['1351620000001-000001', '1351620000001-000010', '1351620000001-100070'].map(
            (preset) => `arn:aws:elastictranscoder:us-east-1:${ACCOUNT}:preset/${preset}`,
          ),
        ],
      });
    });

    it('lets delete-video and transcode-video cancel and read Elastic Transcoder jobs only', () => {
      for (const name of ['delete-video', 'transcode-video']) {
        expect(statement(tf, name, 'CancelElasticTranscoderJobs'), name).to.deep.equal({
          Sid: 'CancelElasticTranscoderJobs',
          Effect: 'Allow',
          Action: ['elastictranscoder:CancelJob', 'elastictranscoder:ReadJob'],
          Resource: [`arn:aws:elastictranscoder:us-east-1:${ACCOUNT}:job/*`],
        });
        expect(lambda(tf, name).environment.variables[ENV.TRANSCODER]).to.equal('elastic-transcoder');
      }
    });

    it('contains nothing of MediaConvert: no queue, role, rule, PassRole or variables', () => {
      expect(resourcesOf(tf, 'aws_media_convert_queue')).to.deep.equal({});
      // Only the uploads rule and the reconciler's schedule, which both backends share.
      expect(
        Object.values(resourcesOf(tf, 'aws_cloudwatch_event_rule'))
          .map((r) => r.name)
          .sort(),
      ).to.deep.equal(['24hv-dev-reconcile-videos', UPLOADS_RULE].sort());
      expect(
        Object.values(resourcesOf(tf, 'aws_cloudwatch_event_target'))
          .map((t) => t.arn)
          .sort(),
      ).to.deep.equal([fnRef(tf, 'reconcile-videos', 'arn'), fnRef(tf, 'transcode-video', 'arn')].sort());
      expect(JSON.stringify(tf)).not.to.match(/mediaconvert|MEDIACONVERT|iam:PassRole/i);
    });
  });

  describe('prod', () => {
    let tf: Tf;
    before(() => {
      tf = synthStage(fixture, 'prod', { TF_STATE_BUCKET: 'acme-terraform-state' }).tf;
    });

    it('protects the table and keeps buckets on destroy', () => {
      expect(single(tf, 'aws_dynamodb_table').deletion_protection_enabled).to.equal(true);
      expect(
        Object.values(resourcesOf(tf, 'aws_s3_bucket')).every((b) => b.force_destroy === false),
      ).to.equal(true);
      expect(single(tf, 'aws_kms_key').deletion_window_in_days).to.equal(30);
    });

    it('uses prod retention and concurrency, and the default MediaConvert backend', () => {
      expect(lambda(tf, 'transcode-video').reserved_concurrent_executions).to.equal(50);
      expect(
        Object.values(resourcesOf(tf, 'aws_cloudwatch_log_group')).every((g) => g.retention_in_days === 365),
      ).to.equal(true);
      expect(resourcesOf(tf, 'aws_media_convert_queue')).not.to.deep.equal({});
    });

    it('stores state in S3 with native locking when a state bucket is configured', () => {
      expect(tf.terraform.backend.s3).to.deep.equal({
        bucket: 'acme-terraform-state',
        key: '24-hour-video/prod.tfstate',
        region: 'us-east-1',
        encrypt: true,
        use_lockfile: true,
      });
    });
  });

  describe('local', () => {
    let tf: Tf;
    before(() => {
      tf = synthStage(fixture, 'local', { VIDEO_TRANSCODER: 'elastic-transcoder' }).tf;
    });

    it('names every resource deterministically from the prefix, for the local cloud to read', () => {
      expect(
        Object.values(resourcesOf(tf, 'aws_s3_bucket'))
          .map((b) => b.bucket)
          .sort(),
      ).to.deep.equal(['24hv-local-transcoded', '24hv-local-uploads']);
      expect(single(tf, 'aws_dynamodb_table').name).to.equal('24hv-local-videos');
      expect(
        Object.values(resourcesOf(tf, 'aws_sns_topic'))
          .map((t) => t.name)
          .sort(),
      ).to.deep.equal(['24hv-local-alarms', '24hv-local-transcoded', '24hv-local-transcoder-status']);
      expect(
        Object.values(resourcesOf(tf, 'aws_lambda_function')).map((f) => f.function_name),
      ).to.include.members(PIPELINE_FUNCTIONS.map((n) => `24hv-local-${n}`));
      expect(single(tf, 'aws_elastictranscoder_pipeline').name).to.equal('24hv-local');
    });

    it('leaves concurrency unreserved', () => {
      expect(lambda(tf, 'transcode-video')).not.to.have.property('reserved_concurrent_executions');
    });
  });
});
