import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TerraformStack, Testing } from 'cdktf';
import { expect } from 'chai';
import { stageConfig } from '#infra/config.ts';
import { BundledFunction, MissingBundleError } from '#infra/constructs/bundled-function.ts';
import { PipelineKey } from '#infra/constructs/encryption.ts';
import { SecureBucket } from '#infra/constructs/media-storage.ts';
import { VideoTable } from '#infra/constructs/video-table.ts';
import { createFixture, type Fixture, statements, type Tf, testApp } from '#test/support/infra.ts';

const config = stageConfig('dev', {});

function newFunction(
  stack: TerraformStack,
  fixture: Fixture,
  options: { name: string; async: boolean; key?: PipelineKey },
): BundledFunction {
  return new BundledFunction(stack, 'fn', {
    ...fixture.bundles,
    name: options.name,
    description: 'test',
    config,
    accountId: '123456789012',
    key: options.key ?? new PipelineKey(stack, 'key', { config, accountId: '123456789012' }),
    async: options.async,
  });
}

function synthFunction(fixture: Fixture, name: string, async = true): Tf {
  const stack = new TerraformStack(testApp(), 'fn-test');
  const fn = newFunction(stack, fixture, { name, async });
  fn.addEnvironment('VIDEO_TABLE_NAME', 'videos');
  return JSON.parse(Testing.synth(stack)) as Tf;
}

const onlyFunction = (tf: Tf) =>
  Object.values(tf.resource.aws_lambda_function as Record<string, Tf>)[0] as Tf;

describe('BundledFunction', () => {
  let fixture: Fixture;
  beforeEach(() => {
    fixture = createFixture();
  });
  afterEach(() => fixture.cleanup());

  describe('bundle', () => {
    it('fails with an error naming npm run build when the bundle is missing', () => {
      rmSync(join(fixture.bundles.bundleRoot, 'transcode-video'), { recursive: true });
      expect(() => synthFunction(fixture, 'transcode-video'))
        .to.throw(MissingBundleError)
        .with.property('message')
        .that.contains('transcode-video')
        .and.contains('npm run build');
    });

    it('keeps source_code_hash stable across synths of the same bundle', () => {
      const first = onlyFunction(synthFunction(fixture, 'transcode-video')).source_code_hash;
      writeFileSync(
        join(fixture.bundles.bundleRoot, 'transcode-video', 'index.mjs'),
        "export const handler = async () => 'transcode-video';\n",
      );
      expect(onlyFunction(synthFunction(fixture, 'transcode-video')).source_code_hash).to.equal(first);
    });

    it('changes source_code_hash when the bundle changes', () => {
      const first = onlyFunction(synthFunction(fixture, 'transcode-video')).source_code_hash;
      writeFileSync(
        join(fixture.bundles.bundleRoot, 'transcode-video', 'index.mjs'),
        'export const handler = 2;\n',
      );
      expect(onlyFunction(synthFunction(fixture, 'transcode-video')).source_code_hash).not.to.equal(first);
    });
  });

  describe('invocation', () => {
    it('gives synchronous functions no dead-letter queue', () => {
      const tf = synthFunction(fixture, 'get-video', false);
      expect(tf.resource).not.to.have.any.keys('aws_sqs_queue', 'aws_lambda_function_event_invoke_config');
    });

    it('refuses to set one variable to two values', () => {
      const fn = newFunction(new TerraformStack(testApp(), 'fn-test'), fixture, {
        name: 'get-video',
        async: false,
      });
      fn.addEnvironment('VIDEO_TABLE_NAME', 'a');
      expect(() => fn.addEnvironment('VIDEO_TABLE_NAME', 'b')).to.throw(/VIDEO_TABLE_NAME is already set/);
    });
  });

  describe('grants', () => {
    function granted(
      grant: (fn: BundledFunction, resources: { table: VideoTable; bucket: SecureBucket }) => void,
    ) {
      const stack = new TerraformStack(testApp(), 'fn-test');
      const key = new PipelineKey(stack, 'key', { config, accountId: '123456789012' });
      const table = new VideoTable(stack, 'table', { config, key });
      const bucket = new SecureBucket(stack, 'media', {
        bucketName: 'media',
        envName: 'TRANSCODED_BUCKET_NAME',
        key,
        region: 'us-east-1',
        forceDestroy: true,
      });
      const fn = newFunction(stack, fixture, { name: 'get-video', async: false, key });
      grant(fn, { table, bucket });
      const tf = JSON.parse(Testing.synth(stack)) as Tf;
      const policy = Object.values(tf.resource.aws_iam_role_policy as Record<string, Tf>)[0] as Tf;
      return {
        statements: statements(policy.policy as string).filter((st) => !/Logs|Traces/.test(st.Sid ?? '')),
        environment: Object.keys(onlyFunction(tf).environment.variables).sort(),
        tf,
      };
    }
    /** A resource with its Terraform reference reduced to the resource type. */
    const typed = (resource: string) => resource.replace(/\$\{(aws_[a-z0-9_]+)\.[^}]+\}/, '$1');

    it('grants item actions on the table and Query on the named indexes only', () => {
      const { statements: found, environment } = granted((fn, { table }) =>
        fn.grantTable(table, { items: ['GetItem', 'UpdateItem'], query: ['byOwner'] }),
      );
      expect(found.map((st) => [st.Sid, st.Action, st.Resource.map(typed)])).to.deep.equal([
        ['VideoTableItems', ['dynamodb:GetItem', 'dynamodb:UpdateItem'], ['aws_dynamodb_table']],
        ['QueryVideoTableIndexes', ['dynamodb:Query'], ['aws_dynamodb_table/index/byOwner']],
      ]);
      expect(environment).to.deep.equal(['NODE_OPTIONS', 'VIDEO_TABLE_NAME']);
    });

    it('refuses a table grant of nothing', () => {
      expect(() => granted((fn, { table }) => fn.grantTable(table, {}))).to.throw(/item actions or indexes/);
    });

    it('grants reads of the matching keys and decryption through S3 only', () => {
      const { statements: found } = granted((fn, { bucket }) => fn.grantRead(bucket, ['videos/*.mp4']));
      expect(found.map((st) => [st.Action, st.Resource.map(typed), st.Condition])).to.deep.equal([
        [['s3:GetObject'], ['aws_s3_bucket/videos/*.mp4'], undefined],
        [
          ['kms:Decrypt'],
          ['aws_kms_key'],
          { StringEquals: { 'kms:ViaService': 's3.us-east-1.amazonaws.com' } },
        ],
      ]);
    });

    it('grants single-part writes with a data key and no kms:Decrypt', () => {
      const { statements: found } = granted((fn, { bucket }) =>
        fn.grantPut(bucket, ['videos/*/metadata.json']),
      );
      expect(found.map((st) => st.Action)).to.deep.equal([['s3:PutObject'], ['kms:GenerateDataKey']]);
    });

    it('sets the bucket variable unless told the function reaches the bucket without its name', () => {
      expect(granted((fn, { bucket }) => fn.grantRead(bucket, ['*'])).environment).to.include(
        'TRANSCODED_BUCKET_NAME',
      );
      expect(
        granted((fn, { bucket }) => fn.grantRead(bucket, ['*'], { env: false })).environment,
      ).to.deep.equal(['NODE_OPTIONS']);
      expect(
        granted((fn, { bucket }) => fn.grantTagging(bucket, ['*'], { env: false })).environment,
      ).to.deep.equal(['NODE_OPTIONS']);
    });

    it('refuses an object grant without key patterns', () => {
      expect(() => granted((fn, { bucket }) => fn.grantPut(bucket, []))).to.throw(/at least one key pattern/);
    });

    it("encrypts the log group with the stack's key, once the key policy lets CloudWatch Logs use it", () => {
      const { tf } = granted(() => undefined);
      const group = Object.values(tf.resource.aws_cloudwatch_log_group as Record<string, Tf>)[0] as Tf;
      expect(typed(group.kms_key_id)).to.equal('aws_kms_key');
      expect(group.depends_on).to.have.length(1);
      expect(group.depends_on[0]).to.match(/^aws_kms_key_policy\./);
    });
  });
});
