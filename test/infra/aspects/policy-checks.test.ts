import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { DynamodbTable } from '@cdktf/provider-aws/lib/dynamodb-table';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import { LambdaPermission } from '@cdktf/provider-aws/lib/lambda-permission';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue';
import { Aspects, TerraformStack, Testing } from 'cdktf';
import { expect } from 'chai';
import { PolicyChecks, PolicyViolationError } from '#infra/aspects/policy-checks.ts';
import { stageConfig } from '#infra/config.ts';
import { BundledFunction } from '#infra/constructs/bundled-function.ts';
import { PipelineKey } from '#infra/constructs/encryption.ts';
import { SecureBucket } from '#infra/constructs/media-storage.ts';
import { VideoPipelineStack } from '#infra/stacks/video-pipeline-stack.ts';
import { createFixture, type Fixture, testApp } from '#test/support/infra.ts';

const config = stageConfig('dev', {});

/** A stack with the provider and the policy checks, for one deliberately broken construct. */
function checkedStack(): TerraformStack {
  const stack = new TerraformStack(testApp(), 'checked');
  new AwsProvider(stack, 'aws', { region: 'us-east-1' });
  Aspects.of(stack).add(new PolicyChecks());
  return stack;
}

/** Synthesizes and returns the policy violation error (fails the test when synthesis succeeds). */
function violationOf(stack: TerraformStack): PolicyViolationError {
  try {
    Testing.synth(stack);
  } catch (error) {
    if (error instanceof PolicyViolationError) return error;
    throw error;
  }
  throw new Error('expected synthesis to be rejected, but it succeeded');
}

/** A log group encrypted with a fresh key whose policy lets CloudWatch Logs use it, as CKV_AWS_158 wants. */
function encryptedLogGroup(stack: TerraformStack, id: string, name: string, retentionInDays?: number) {
  const key = new PipelineKey(stack, `${id}-key`, { config, accountId: '123456789012' });
  return new CloudwatchLogGroup(stack, id, {
    name,
    kmsKeyId: key.arn,
    ...(retentionInDays ? { retentionInDays } : {}),
  });
}

function rawFunction(stack: TerraformStack, name = 'raw'): LambdaFunction {
  const role = new IamRole(stack, `${name}-role`, { name: `${name}-role`, assumeRolePolicy: '{}' });
  encryptedLogGroup(stack, `${name}-logs`, `/aws/lambda/${name}`, 7);
  return new LambdaFunction(stack, name, {
    functionName: name,
    role: role.arn,
    runtime: 'nodejs22.x',
    handler: 'index.handler',
    filename: 'x.zip',
    tracingConfig: { mode: 'Active' },
  });
}

function rolePolicy(stack: TerraformStack, statement: Record<string, unknown>): void {
  const role = new IamRole(stack, 'policy-role', { name: 'policy-role', assumeRolePolicy: '{}' });
  new IamRolePolicy(stack, 'policy', {
    role: role.id,
    policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', ...statement }] }),
  });
}

describe('PolicyChecks', () => {
  let fixture: Fixture;
  before(() => {
    fixture = createFixture();
  });
  after(() => fixture.cleanup());

  describe('accepts', () => {
    it('a SecureBucket and a BundledFunction with an async trigger', () => {
      const stack = checkedStack();
      const key = new PipelineKey(stack, 'key', { config, accountId: '123456789012' });
      const bucket = new SecureBucket(stack, 'bucket', {
        bucketName: 'b',
        envName: 'UPLOAD_BUCKET_NAME',
        key,
        region: 'us-east-1',
        forceDestroy: true,
      });
      const fn = new BundledFunction(stack, 'fn', {
        ...fixture.bundles,
        name: 'transcode-video',
        description: 'test',
        config,
        accountId: '123456789012',
        key,
        async: true,
      });
      fn.grantRead(bucket, ['*']);
      fn.allowInvoke('s3', 's3.amazonaws.com', bucket.arn);
      expect(() => Testing.synth(stack)).not.to.throw();
    });
  });

  describe('rejects', () => {
    it('CKV2_AWS_6, CKV_AWS_145 and S3.5: a bare bucket, naming it and each missing control', () => {
      const stack = checkedStack();
      new S3Bucket(stack, 'bare', { bucket: 'bare' });
      const error = violationOf(stack);
      expect(error.violations.map((v) => [v.rule, v.address])).to.deep.equal([
        ['CKV2_AWS_6', 'aws_s3_bucket.bare'],
        ['CKV_AWS_145', 'aws_s3_bucket.bare'],
        ['S3.5', 'aws_s3_bucket.bare'],
      ]);
      expect(error.message).to.contain('Stack "checked" fails 3 policy check(s)');
      expect(error.message).to.contain('public_access_block');
    });

    it('S3.5: a bucket whose policy does not deny plain HTTP', () => {
      const stack = checkedStack();
      const key = new PipelineKey(stack, 'key', { config, accountId: '123456789012' });
      const bucket = new SecureBucket(stack, 'bucket', {
        bucketName: 'b',
        envName: 'UPLOAD_BUCKET_NAME',
        key,
        region: 'us-east-1',
        forceDestroy: true,
      });
      // Replace the TLS-only policy with one that allows everything.
      bucket.policy.addOverride(
        'policy',
        JSON.stringify({ Statement: [{ Effect: 'Allow', Action: ['s3:GetObject'] }] }),
      );
      expect(violationOf(stack).violations.map((v) => v.rule)).to.deep.equal(['S3.5']);
    });

    it('CKV_AWS_63: an IAM statement with a wildcard action', () => {
      const stack = checkedStack();
      rolePolicy(stack, { Action: ['s3:*'], Resource: ['arn:aws:s3:::b/*'] });
      const [violation] = violationOf(stack).violations;
      expect(violation).to.deep.include({ rule: 'CKV_AWS_63', address: 'aws_iam_role_policy.policy' });
      expect(violation?.message).to.contain('"s3:*"');
    });

    it('CKV_AWS_63: a partial wildcard action such as "s3:Get*"', () => {
      const stack = checkedStack();
      rolePolicy(stack, { Action: ['s3:Get*', 's3:PutObject'], Resource: ['arn:aws:s3:::b/*'] });
      const violations = violationOf(stack).violations;
      expect(violations.map((v) => v.rule)).to.deep.equal(['CKV_AWS_63']);
      expect(violations[0]?.message).to.contain('"s3:Get*"');
    });

    it('CKV_AWS_63 and CKV_AWS_355: "*" on "*"', () => {
      const stack = checkedStack();
      rolePolicy(stack, { Action: '*', Resource: '*' });
      expect(violationOf(stack).violations.map((v) => v.rule)).to.deep.equal(['CKV_AWS_63', 'CKV_AWS_355']);
    });

    it('CKV_AWS_355: a wildcard resource for an action that has resource types', () => {
      const stack = checkedStack();
      rolePolicy(stack, { Action: ['dynamodb:GetItem', 'xray:PutTraceSegments'], Resource: ['*'] });
      const violations = violationOf(stack).violations;
      expect(violations.map((v) => v.rule)).to.deep.equal(['CKV_AWS_355']);
      expect(violations[0]?.message).to.contain('"dynamodb:GetItem"').and.contain('table');
    });

    it('CKV_AWS_355 per iam-data: "*" for actions no allowlist names, but only those without resource types', () => {
      const stack = checkedStack();
      // None of these has a resource type; s3:ListAllMyBuckets and sts:GetCallerIdentity were never allowlisted.
      rolePolicy(stack, {
        Action: [
          'mediaconvert:Probe',
          'xray:PutTelemetryRecords',
          's3:ListAllMyBuckets',
          'sts:GetCallerIdentity',
        ],
        Resource: ['*'],
      });
      expect(() => Testing.synth(stack)).not.to.throw();

      const scoped = checkedStack();
      rolePolicy(scoped, { Action: ['mediaconvert:CreateJob'], Resource: ['*'] });
      const [violation] = violationOf(scoped).violations;
      expect(violation?.rule).to.equal('CKV_AWS_355');
      expect(violation?.message).to.contain('"mediaconvert:CreateJob"').and.contain('Queue');
    });

    it('INVALID_ACTION: a misspelt action fails synthesis, naming it', () => {
      const stack = checkedStack();
      rolePolicy(stack, { Action: ['s3:GetObjects', 's3:GetObject'], Resource: ['arn:aws:s3:::b/*'] });
      const violations = violationOf(stack).violations;
      expect(violations.map((v) => [v.rule, v.address])).to.deep.equal([
        ['INVALID_ACTION', 'aws_iam_role_policy.policy'],
      ]);
      expect(violations[0]?.message).to.contain('"s3:GetObjects" is not an action of s3');
    });

    it('INVALID_ACTION: an unknown service, a pattern that matches nothing, in any policy', () => {
      const stack = checkedStack();
      const key = new PipelineKey(stack, 'key', { config, accountId: '123456789012' });
      rolePolicy(stack, { Action: ['s4:GetObject'], Resource: ['arn:aws:s3:::b/*'] });
      key.allowService('Typo', 'cloudfront.amazonaws.com', ['kms:Decript*'], {
        StringEquals: { 'aws:SourceAccount': '123456789012' },
      });
      const violations = violationOf(stack).violations;
      expect(violations.map((v) => [v.rule, v.address.split('.')[0]])).to.deep.equal([
        ['INVALID_ACTION', 'aws_iam_role_policy'],
        ['INVALID_ACTION', 'aws_kms_key_policy'],
      ]);
      expect(violations[0]?.message).to.contain('the service "s4"');
      expect(violations[1]?.message).to.contain('"kms:Decript*" matches no action');
    });

    it('CKV_AWS_158: a log group without KMS, or with a key CloudWatch Logs may not use', () => {
      const stack = checkedStack();
      new CloudwatchLogGroup(stack, 'plain', { name: '/custom/plain', retentionInDays: 7 });
      const key = new PipelineKey(stack, 'key', { config, accountId: '123456789012' });
      // A key whose policy lost its CloudWatch Logs statement.
      key.policyResource.addOverride(
        'policy',
        JSON.stringify({
          Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::1:root' }, Action: 'kms:*' }],
        }),
      );
      new CloudwatchLogGroup(stack, 'locked', {
        name: '/custom/locked',
        retentionInDays: 7,
        kmsKeyId: key.arn,
      });
      const violations = violationOf(stack).violations;
      expect(violations.map((v) => [v.rule, v.address])).to.deep.equal([
        ['CKV_AWS_158', 'aws_cloudwatch_log_group.plain'],
        ['CKV_AWS_158', 'aws_cloudwatch_log_group.locked'],
      ]);
      expect(violations[1]?.message).to.contain('kms:EncryptionContext:aws:logs:arn');
    });

    it('CKV_AWS_116: an async-invoked function without an on-failure destination', () => {
      const stack = checkedStack();
      const fn = rawFunction(stack);
      new LambdaPermission(stack, 'from-sns', {
        action: 'lambda:InvokeFunction',
        functionName: fn.functionName,
        principal: 'sns.amazonaws.com',
        sourceArn: 'arn:aws:sns:us-east-1:123456789012:t',
        sourceAccount: '123456789012',
      });
      const violations = violationOf(stack).violations;
      expect(violations.map((v) => [v.rule, v.address])).to.deep.equal([
        ['CKV_AWS_116', 'aws_lambda_function.raw'],
      ]);
      expect(violations[0]?.message).to.contain('"raw" is invoked asynchronously');
    });

    it('CKV_AWS_364: a service permission without source ARN or account', () => {
      const stack = checkedStack();
      const fn = new BundledFunction(stack, 'fn', {
        ...fixture.bundles,
        name: 'set-permissions',
        description: 'test',
        config,
        accountId: '123456789012',
        key: new PipelineKey(stack, 'key', { config, accountId: '123456789012' }),
        async: true,
      });
      new LambdaPermission(stack, 'open', {
        action: 'lambda:InvokeFunction',
        functionName: fn.fn.functionName,
        principal: 'events.amazonaws.com',
      });
      expect(violationOf(stack).violations.map((v) => [v.rule, v.address])).to.deep.equal([
        ['CKV_AWS_364', 'aws_lambda_permission.open'],
      ]);
    });

    it('CKV_AWS_28: a table without point-in-time recovery', () => {
      const stack = checkedStack();
      new DynamodbTable(stack, 'table', { name: 't', hashKey: 'id', attribute: [{ name: 'id', type: 'S' }] });
      expect(violationOf(stack).violations.map((v) => v.rule)).to.deep.equal(['CKV_AWS_28']);
    });

    it('CKV_AWS_66: a log group without retention and a function without a log group', () => {
      const stack = checkedStack();
      encryptedLogGroup(stack, 'forever', '/custom/forever');
      const role = new IamRole(stack, 'role', { name: 'r', assumeRolePolicy: '{}' });
      new LambdaFunction(stack, 'orphan', {
        functionName: 'orphan',
        role: role.arn,
        runtime: 'nodejs22.x',
        handler: 'index.handler',
        filename: 'x.zip',
        tracingConfig: { mode: 'Active' },
      });
      expect(violationOf(stack).violations.map((v) => [v.rule, v.address])).to.deep.equal([
        ['CKV_AWS_66', 'aws_cloudwatch_log_group.forever'],
        ['CKV_AWS_66', 'aws_lambda_function.orphan'],
      ]);
    });

    it('CKV_AWS_50: a function without active tracing', () => {
      const stack = checkedStack();
      rawFunction(stack).addOverride('tracing_config', { mode: 'PassThrough' });
      expect(violationOf(stack).violations.map((v) => v.rule)).to.deep.equal(['CKV_AWS_50']);
    });

    it('CKV_AWS_26 and CKV_AWS_27: an unencrypted topic and queue', () => {
      const stack = checkedStack();
      new SnsTopic(stack, 'topic', { name: 'plain' });
      new SqsQueue(stack, 'queue', { name: 'plain', sqsManagedSseEnabled: false });
      expect(violationOf(stack).violations.map((v) => v.rule)).to.deep.equal(['CKV_AWS_26', 'CKV_AWS_27']);
    });

    it('a bare bucket added to the full stack, which applies the checks itself', () => {
      const stack = new VideoPipelineStack(testApp(), 'dev', {
        config,
        bundles: fixture.bundles,
        ffprobe: fixture.ffprobe,
        webBuild: fixture.webBuild,
      });
      new S3Bucket(stack, 'stray-bucket', { bucket: 'stray' });
      new S3BucketPolicy(stack, 'stray-policy', { bucket: 'stray', policy: '{}' });
      expect(violationOf(stack).violations.map((v) => [v.rule, v.address])).to.deep.equal([
        ['CKV2_AWS_6', 'aws_s3_bucket.stray-bucket'],
        ['CKV_AWS_145', 'aws_s3_bucket.stray-bucket'],
        ['S3.5', 'aws_s3_bucket.stray-bucket'],
      ]);
    });
  });
});
