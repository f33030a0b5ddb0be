import { runSimulation } from '@cloud-copilot/iam-simulate';
import { expect } from 'chai';
import {
  ACCOUNT as ACCOUNT_REF,
  ALL_FUNCTIONS,
  createFixture,
  type Fixture,
  functionStatements,
  resourcesOf,
  synthStage,
  type Tf,
} from './helpers.ts';

const ACCOUNT = '123456789012';
const REGION = 'us-east-1';
const VIDEO_ID = 'Vq3x9ZkT2mB7wLp4sR8yNa';

/** The ARN a Terraform reference in a policy stands for once applied, for the types these policies name. */
function concreteArns(tf: Tf, policy: unknown): unknown {
  const arnOf = (type: string, key: string): string => {
    const r = resourcesOf(tf, type)[key] ?? {};
    switch (type) {
      case 'aws_s3_bucket':
        return `arn:aws:s3:::${r.bucket}`;
      case 'aws_dynamodb_table':
        return `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${r.name}`;
      case 'aws_lambda_function':
        return `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${r.function_name}`;
      case 'aws_sqs_queue':
        return `arn:aws:sqs:${REGION}:${ACCOUNT}:${r.name}`;
      case 'aws_cloudwatch_log_group':
        return `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:${r.name}`;
      case 'aws_media_convert_queue':
        return `arn:aws:mediaconvert:${REGION}:${ACCOUNT}:queues/${r.name}`;
      case 'aws_iam_role':
        return `arn:aws:iam::${ACCOUNT}:role/${r.name}`;
      default:
        return `arn:aws:${type.replace('aws_', '')}:${REGION}:${ACCOUNT}:${key}`;
    }
  };
  const text = JSON.stringify(policy)
    .replaceAll(ACCOUNT_REF, ACCOUNT)
    .replace(/\$\{(aws_[a-z0-9_]+)\.([^.}]+)\.arn\}/g, (_m, type: string, key: string) => arnOf(type, key));
  return JSON.parse(text);
}

describe('IAM simulation of the synthesized role policies (dev)', () => {
  let fixture: Fixture;
  let tf: Tf;
  const buckets = {
    uploads: 'arn:aws:s3:::24hv-dev-uploads',
    transcoded: 'arn:aws:s3:::24hv-dev-transcoded',
  };

  before(() => {
    fixture = createFixture();
    tf = synthStage(fixture, 'dev').tf;
  });
  after(() => fixture.cleanup());

  async function decide(
    fn: string,
    action: string,
    resource: string,
    context: Record<string, string> = {},
  ): Promise<string> {
    const policy = concreteArns(tf, { Version: '2012-10-17', Statement: functionStatements(tf, fn) });
    const result = await runSimulation(
      {
        request: {
          principal: `arn:aws:iam::${ACCOUNT}:role/24hv-dev-${fn}-fn`,
          action,
          resource: { resource, accountId: ACCOUNT },
          contextVariables: context,
        },
        identityPolicies: [{ name: 'least-privilege', policy }],
        serviceControlPolicies: [],
        resourceControlPolicies: [],
      },
      {},
    );
    if (result.resultType === 'error') throw new Error(JSON.stringify(result.errors));
    return result.overallResult;
  }

  describe('delete-video', () => {
    for (const [label, bucket, key] of [
      ['an upload version', buckets.uploads, `uploads/user-1/${VIDEO_ID}/clip.mp4`],
      ['an output version', buckets.transcoded, `videos/${VIDEO_ID}/1080p.mp4`],
    ] as const) {
      it(`may delete ${label} and its versions`, async () => {
        for (const action of ['s3:DeleteObject', 's3:DeleteObjectVersion']) {
          expect(await decide('delete-video', action, `${bucket}/${key}`), action).to.equal('Allowed');
        }
      });
    }

    for (const [label, resource] of [
      ['anything else in the upload bucket', `${buckets.uploads}/other/clip.mp4`],
      ['anything else in the transcoded bucket', `${buckets.transcoded}/web/index.html`],
      ['another bucket', 'arn:aws:s3:::someone-elses-bucket/videos/x.mp4'],
    ] as const) {
      it(`may not delete ${label}`, async () => {
        expect(await decide('delete-video', 's3:DeleteObjectVersion', resource)).to.equal('ImplicitlyDenied');
      });
    }

    it('may list versions only under its prefixes', async () => {
      const list = (bucket: string, prefix: string) =>
        decide('delete-video', 's3:ListBucketVersions', bucket, { 's3:prefix': prefix });

      expect(await list(buckets.transcoded, `videos/${VIDEO_ID}/`)).to.equal('Allowed');
      expect(await list(buckets.uploads, `uploads/user-1/${VIDEO_ID}/`)).to.equal('Allowed');
      expect(await list(buckets.transcoded, '')).to.equal('ImplicitlyDenied');
      expect(await list(buckets.uploads, 'videos/')).to.equal('ImplicitlyDenied');
    });
  });

  it('lets no other function delete any object or version', async () => {
    for (const fn of ALL_FUNCTIONS.filter((name) => name !== 'delete-video')) {
      for (const resource of [
        `${buckets.uploads}/uploads/user-1/${VIDEO_ID}/clip.mp4`,
        `${buckets.transcoded}/videos/${VIDEO_ID}/1080p.mp4`,
      ]) {
        expect(await decide(fn, 's3:DeleteObjectVersion', resource), `${fn} ${resource}`).to.equal(
          'ImplicitlyDenied',
        );
        expect(await decide(fn, 's3:DeleteObject', resource), `${fn} ${resource}`).to.equal(
          'ImplicitlyDenied',
        );
      }
    }
  });

  it('lets exactly the functions that request a purge invoke delete-video, and no other function', async () => {
    const deleteVideo = `arn:aws:lambda:${REGION}:${ACCOUNT}:function:24hv-dev-delete-video`;
    const allowed: string[] = [];
    for (const fn of ALL_FUNCTIONS) {
      if ((await decide(fn, 'lambda:InvokeFunction', deleteVideo)) === 'Allowed') allowed.push(fn);
      expect(
        await decide(
          fn,
          'lambda:InvokeFunction',
          `arn:aws:lambda:${REGION}:${ACCOUNT}:function:24hv-dev-get-video`,
        ),
        fn,
      ).to.equal('ImplicitlyDenied');
    }
    expect(allowed.sort()).to.deep.equal([
      'extract-metadata',
      'request-deletion',
      'transcode-status',
      'transcode-video',
    ]);
  });

  it('lets update-video tag outputs but not uploads', async () => {
    expect(
      await decide(
        'update-video',
        's3:PutObjectTagging',
        `${buckets.transcoded}/videos/${VIDEO_ID}/720p.mp4`,
      ),
    ).to.equal('Allowed');
    expect(
      await decide('update-video', 's3:PutObjectTagging', `${buckets.uploads}/uploads/u/${VIDEO_ID}/a.mp4`),
    ).to.equal('ImplicitlyDenied');
  });
});
