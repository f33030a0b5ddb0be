import { expect } from 'chai';
import { iamAction } from '#infra/aspects/iam-actions.ts';
import type { AwsCall, FunctionCalls } from '#shared/iam';
import type { TranscoderBackend } from '#shared/transcoder/port';
import { ALL_FUNCTIONS, createFixture, type Fixture, resourcesOf, synthStage } from '#test/support/infra.ts';
import { grantHint, loadFunctionCalls, permissionsFile } from '../support/function-calls.ts';
import { fill, globMatches, PolicyWorld, SIM, type SimRequest } from '../support/iam-world.ts';

/** Something a request may name, with what it is to IAM and which listed calls target it. */
interface Sample {
  readonly label: string;
  readonly resource: string;
  /** `<service>:<resource type>` as iam-data names it, or `*` for "no resource". */
  readonly type: string;
  readonly context: Readonly<Record<string, string>>;
  /** Whether a call of a function's list acts on this sample. */
  readonly targetedBy: (call: AwsCall) => boolean;
  /** Whom else it belongs to: the function whose log group or queue it is, the service KMS is used through. */
  readonly owner?: string;
  readonly via?: 's3' | 'sns';
}

/** Actions no function's list names, asked too: each must be denied to every function. */
const NEVER_GRANTED = [
  's3:ListBucket',
  's3:GetObjectVersion',
  's3:PutObjectAcl',
  's3:PutObjectVersionTagging',
  's3:PutBucketPolicy',
  's3:DeleteBucketPolicy',
  's3:PutBucketAcl',
  's3:DeleteBucket',
  'dynamodb:DeleteItem',
  'dynamodb:Scan',
  'dynamodb:BatchWriteItem',
  'lambda:UpdateFunctionCode',
  'kms:Encrypt',
  'kms:ScheduleKeyDeletion',
  'sns:Publish',
];

/** What the Lambda runtime itself does with every function's role: its logs, traces and dead letters. */
const RUNTIME_ACTIONS = [
  'logs:CreateLogStream',
  'logs:PutLogEvents',
  'xray:PutTraceSegments',
  'xray:PutTelemetryRecords',
  'sqs:SendMessage',
];

const TLS = { 'aws:SecureTransport': 'true' };

/** What S3 asks KMS on behalf of a caller that reads or writes (in one request) an SSE-KMS object. */
const S3_KEY_USE: Readonly<Record<string, string>> = {
  's3:GetObject': 'kms:Decrypt',
  's3:PutObject': 'kms:GenerateDataKey',
};

function samples(world: PolicyWorld): Sample[] {
  const object = (bucket: string, key: string, label: string, granted = true): Sample => ({
    label,
    resource: `arn:aws:s3:::${bucket}/${fill(key)}`,
    type: 's3:object',
    context: TLS,
    targetedBy: (call) =>
      granted &&
      typeof call.on === 'object' &&
      'key' in call.on &&
      world.bucketName(call.on.bucket) === bucket &&
      globMatches(fill(call.on.key), fill(key)),
  });
  const listing = (bucket: string, prefix: string, label: string): Sample => ({
    label,
    resource: `arn:aws:s3:::${bucket}`,
    type: 's3:bucket',
    context: { ...TLS, 's3:prefix': fill(prefix) },
    targetedBy: (call) =>
      typeof call.on === 'object' &&
      'listPrefix' in call.on &&
      world.bucketName(call.on.bucket) === bucket &&
      fill(call.on.listPrefix) === fill(prefix),
  });
  const uploads = world.bucketName('uploads');
  const transcoded = world.bucketName('transcoded');
  const table = world.target({ table: 'videos' }).resource;
  const never = () => false;
  const mediaConvert = world.backend === 'mediaconvert';
  const transcoder = (kind: 'queue' | 'pipeline' | 'preset' | 'job' | 'role', type: string): Sample => ({
    label: `the transcoder's ${kind}`,
    resource: world.transcoderArn(kind),
    type,
    context:
      kind === 'role' ? { 'iam:PassedToService': `${world.backend.replace('-', '')}.amazonaws.com` } : {},
    targetedBy: (call) =>
      typeof call.on === 'object' && 'transcoder' in call.on && call.on.transcoder === kind,
  });
  const { account, region } = SIM;
  return [
    object(uploads, 'uploads/<ownerId>/<videoId>/clip.mp4', 'an upload'),
    object(uploads, 'clip.mp4', 'an upload that skipped the API'),
    object(transcoded, 'videos/<videoId>/720p.mp4', 'a rendition'),
    object(transcoded, 'videos/<videoId>/poster.0000000.jpg', 'the poster'),
    object(transcoded, 'videos/<videoId>/metadata.json', 'metadata.json'),
    object(transcoded, 'index.html', 'an object outside videos/'),
    object(world.bucketName('web'), 'index.html', "the web app's bucket", false),
    object('someone-elses-bucket', 'videos/<videoId>/720p.mp4', "another account's bucket", false),
    listing(uploads, 'uploads/<ownerId>/<videoId>/', "the upload bucket under a video's prefix"),
    listing(uploads, '', 'the whole upload bucket'),
    listing(transcoded, 'videos/<videoId>/', "the transcoded bucket under a video's prefix"),
    listing(transcoded, '', 'the whole transcoded bucket'),
    listing(world.bucketName('web'), '', "the web app's bucket"),
    {
      label: 'the video table',
      resource: table,
      type: 'dynamodb:table',
      context: {},
      targetedBy: (call) => typeof call.on === 'object' && 'table' in call.on && !('index' in call.on),
    },
    ...(['byStatus', 'byOwner'] as const).map(
      (index): Sample => ({
        label: `the ${index} index`,
        resource: `${table}/index/${index}`,
        type: 'dynamodb:index',
        context: {},
        targetedBy: (call) => typeof call.on === 'object' && 'index' in call.on && call.on.index === index,
      }),
    ),
    ...ALL_FUNCTIONS.flatMap((name): Sample[] => [
      {
        label: `the ${name} function`,
        resource: world.fn(name).arn,
        type: 'lambda:function',
        context: {},
        targetedBy: (call) =>
          typeof call.on === 'object' && 'function' in call.on && call.on.function === name,
      },
      {
        label: `the ${name} log group`,
        resource: world.fn(name).logStream,
        type: 'logs:log-stream',
        context: {},
        targetedBy: never,
        owner: name,
      },
      {
        label: `the ${name} dead-letter queue`,
        resource: world.fn(name).queue,
        type: 'sqs:queue',
        context: {},
        targetedBy: never,
        owner: name,
      },
    ]),
    {
      label: "the API's access log group",
      resource: `arn:aws:logs:${region}:${account}:log-group:/aws/apigateway/${world.prefix}-api:log-stream:x`,
      type: 'logs:log-stream',
      context: {},
      targetedBy: never,
    },
    ...(['s3', 'sns', undefined] as const).map(
      (via): Sample => ({
        label: via ? `the key through ${via.toUpperCase()}` : 'the key directly',
        resource: world.keyArn,
        type: 'kms:key',
        context: via ? { 'kms:ViaService': `${via}.${region}.amazonaws.com` } : {},
        targetedBy: never,
        ...(via ? { via } : {}),
      }),
    ),
    ...Object.values(resourcesOf(world.tf, 'aws_sns_topic')).map(
      (topic): Sample => ({
        label: `the ${topic.name} topic`,
        resource: `arn:aws:sns:${region}:${account}:${topic.name}`,
        type: 'sns:topic',
        context: {},
        targetedBy: never,
      }),
    ),
    ...(mediaConvert
      ? [
          transcoder('queue', 'mediaconvert:queue'),
          transcoder('job', 'mediaconvert:job'),
          {
            label: "MediaConvert's Default queue",
            resource: `arn:aws:mediaconvert:${region}:${account}:queues/Default`,
            type: 'mediaconvert:queue',
            context: {},
            targetedBy: never,
          },
        ]
      : [
          transcoder('pipeline', 'elastictranscoder:pipeline'),
          transcoder('preset', 'elastictranscoder:preset'),
          transcoder('job', 'elastictranscoder:job'),
          {
            label: 'a preset the jobs do not use',
            resource: `arn:aws:elastictranscoder:${region}:${account}:preset/1351620000001-000020`,
            type: 'elastictranscoder:preset',
            context: {},
            targetedBy: never,
          },
        ]),
    transcoder('role', 'iam:role'),
    {
      label: "the transcoder's role, passed to Lambda",
      resource: world.transcoderArn('role'),
      type: 'iam:role',
      context: { 'iam:PassedToService': 'lambda.amazonaws.com' },
      targetedBy: never,
    },
    {
      label: "another function's role",
      resource: world.fn('get-video').role,
      type: 'iam:role',
      context: { 'iam:PassedToService': 'mediaconvert.amazonaws.com' },
      targetedBy: never,
    },
    { label: 'no resource', resource: '*', type: '*', context: {}, targetedBy: (call) => call.on === '*' },
  ];
}

/** Whether `action` can name `sample`, per the resource types iam-data lists for it. */
function applies(action: string, sample: Sample): boolean {
  const types = iamAction(action)?.resourceTypes;
  if (!types) throw new Error(`iam-data does not know ${action}`);
  if (sample.type === '*') return types.length === 0;
  const [service, type] = sample.type.split(':');
  return action.startsWith(`${service}:`) && types.some((t) => t.toLowerCase() === type);
}

/**
 * What the lists say a function may do: its calls, the KMS use S3 makes on its behalf (reading an
 * object decrypts, writing one in one request generates a data key), and what Lambda does with its
 * role (its own log group, traces, its own dead-letter queue).
 */
function expected(
  world: PolicyWorld,
  fn: string,
  list: FunctionCalls,
  action: string,
  sample: Sample,
): boolean {
  if (sample.type === 'kms:key') {
    return sample.via === 's3' && list.some((call) => S3_KEY_USE[call.action] === action);
  }
  if (action.startsWith('logs:')) return sample.owner === fn;
  if (action.startsWith('xray:')) return true;
  if (action === 'sqs:SendMessage') return sample.owner === fn && world.hasDeadLetterQueue(fn);
  return list.some((call) => call.action === action && sample.targetedBy(call));
}

function forBackend(list: FunctionCalls, backend: TranscoderBackend): FunctionCalls {
  return list.filter((call) => call.backend === undefined || call.backend === backend);
}

for (const backend of ['mediaconvert', 'elastic-transcoder'] as const) {
  describe(`IAM simulation of the synthesized policies (dev, ${backend})`, () => {
    let fixture: Fixture;
    let world: PolicyWorld;
    let lists: Map<string, FunctionCalls>;

    before(async () => {
      fixture = createFixture();
      world = new PolicyWorld(synthStage(fixture, 'dev', { VIDEO_TRANSCODER: backend }).tf, backend);
      lists = new Map(
        [...(await loadFunctionCalls()).calls].map(([name, list]) => [name, forBackend(list, backend)]),
      );
    });
    after(() => fixture.cleanup());

    it('simulates every function that has a list of calls', () => {
      expect(
        [...lists.keys()].filter((name) => !(ALL_FUNCTIONS as readonly string[]).includes(name)),
      ).to.deep.equal([], 'add the function to ALL_FUNCTIONS in test/support/infra.ts');
    });

    const as = (fn: string, action: string, resource: string, context: Record<string, string> = {}) =>
      world.decide({ principal: world.fn(fn).role, action, resource, context }, world.rolePolicy(fn));

    describe('every call of every list is allowed, at its exact ARN', () => {
      for (const fn of ALL_FUNCTIONS) {
        it(`${fn}: each call of ${permissionsFile(fn)}, with the key use S3 makes for it`, async () => {
          const denied: string[] = [];
          const check = async (request: SimRequest, why: string) => {
            const decision = await world.decide(request, world.rolePolicy(fn));
            if (decision !== 'Allowed')
              denied.push(`${request.action} on ${request.resource}: ${decision}; ${why}`);
          };
          for (const call of lists.get(fn) ?? []) {
            const request = world.requestOf(fn, call);
            await check(request, `grant it with ${grantHint(call.action)}`);
            const kms = S3_KEY_USE[call.action];
            if (kms) {
              await check(
                {
                  principal: request.principal,
                  action: kms,
                  resource: world.keyArn,
                  context: { 'kms:ViaService': `s3.${SIM.region}.amazonaws.com` },
                },
                `S3 needs it to ${call.action === 's3:GetObject' ? 'decrypt' : 'encrypt'} the object: the grant adds it`,
              );
            }
          }
          expect(denied, `${fn}: listed calls the policies deny`).to.deep.equal([]);
        });
      }
    });

    describe('nothing but the listed calls: every action on every resource of the stack', () => {
      for (const fn of ALL_FUNCTIONS) {
        it(`${fn} may do exactly what ${permissionsFile(fn)} says`, async function () {
          this.timeout(60_000);
          const list = lists.get(fn) ?? [];
          const all = [...lists.values()].flat().map((call) => call.action);
          // The other backend's stack differs only in the transcoder's statements.
          const asked = [
            ...new Set([...all, ...NEVER_GRANTED, ...RUNTIME_ACTIONS, 'kms:Decrypt', 'kms:GenerateDataKey']),
          ]
            .filter(
              (action) => backend === 'mediaconvert' || /^(elastictranscoder|mediaconvert|iam):/.test(action),
            )
            .sort();
          const policy = world.rolePolicy(fn);
          const wrong: string[] = [];
          for (const action of asked) {
            for (const sample of samples(world).filter((s) => applies(action, s))) {
              const decision = await world.decide(
                { principal: world.fn(fn).role, action, resource: sample.resource, context: sample.context },
                policy,
              );
              const want = expected(world, fn, list, action, sample);
              if (want && decision !== 'Allowed') {
                wrong.push(
                  `denied ${action} on ${sample.label}, which ${permissionsFile(fn)} lists: ${grantHint(action)}`,
                );
              } else if (!want && decision === 'Allowed') {
                wrong.push(
                  `allowed ${action} on ${sample.label} (${sample.resource}), which ${permissionsFile(fn)} does not list: narrow the grant, or list the call if the code makes it`,
                );
              }
            }
          }
          expect(wrong, fn).to.deep.equal([]);
        });
      }
    });

    if (backend === 'mediaconvert') {
      describe('denies', () => {
        const buckets = () =>
          ['uploads', 'transcoded', 'web'].map((b) => `arn:aws:s3:::${world.bucketName(b as 'web')}`);

        it('every delete but delete-video’s, and delete-video’s outside its prefixes', async () => {
          const allowed: string[] = [];
          const keys = [
            `uploads/${SIM.ownerId}/${SIM.videoId}/clip.mp4`,
            `videos/${SIM.videoId}/720p.mp4`,
            `videos/${SIM.videoId}/metadata.json`,
            'index.html',
          ];
          for (const fn of ALL_FUNCTIONS) {
            for (const bucket of buckets()) {
              for (const key of keys) {
                for (const action of ['s3:DeleteObject', 's3:DeleteObjectVersion']) {
                  if ((await as(fn, action, `${bucket}/${key}`, TLS)) === 'Allowed') {
                    allowed.push(`${fn} ${bucket.split(':::')[1]}/${key}`);
                  }
                }
              }
            }
          }
          expect([...new Set(allowed)].sort()).to.deep.equal([
            `delete-video 24hv-dev-transcoded/videos/${SIM.videoId}/720p.mp4`,
            `delete-video 24hv-dev-transcoded/videos/${SIM.videoId}/metadata.json`,
            `delete-video 24hv-dev-uploads/uploads/${SIM.ownerId}/${SIM.videoId}/clip.mp4`,
          ]);
        });

        it('bucket policy and ACL writes, to everyone', async () => {
          for (const fn of ALL_FUNCTIONS) {
            for (const bucket of buckets()) {
              for (const action of ['s3:PutBucketPolicy', 's3:DeleteBucketPolicy', 's3:PutBucketAcl']) {
                expect(await as(fn, action, bucket, TLS), `${fn} ${action} ${bucket}`).to.equal(
                  'ImplicitlyDenied',
                );
              }
              expect(
                await as(fn, 's3:PutObjectAcl', `${bucket}/videos/${SIM.videoId}/720p.mp4`, TLS),
              ).to.equal('ImplicitlyDenied');
            }
          }
        });

        it('any request without TLS, explicitly, even one the role allows', async () => {
          const rendition = `arn:aws:s3:::${world.bucketName('transcoded')}/videos/${SIM.videoId}/720p.mp4`;
          expect(await as('get-video', 's3:GetObject', rendition, TLS)).to.equal('Allowed');
          expect(
            await as('get-video', 's3:GetObject', rendition, { 'aws:SecureTransport': 'false' }),
          ).to.equal('ExplicitlyDenied');
        });

        it('reads by writers and writes by readers', async () => {
          const upload = `arn:aws:s3:::${world.bucketName('uploads')}/uploads/${SIM.ownerId}/${SIM.videoId}/clip.mp4`;
          const rendition = `arn:aws:s3:::${world.bucketName('transcoded')}/videos/${SIM.videoId}/720p.mp4`;
          const table = world.target({ table: 'videos' }).resource;
          expect(await as('create-upload', 's3:GetObject', upload, TLS)).to.equal('ImplicitlyDenied');
          expect(await as('create-upload', 'dynamodb:GetItem', table)).to.equal('ImplicitlyDenied');
          for (const reader of ['list-videos', 'get-video']) {
            expect(await as(reader, 's3:PutObject', rendition, TLS), reader).to.equal('ImplicitlyDenied');
            expect(await as(reader, 'dynamodb:PutItem', table), reader).to.equal('ImplicitlyDenied');
            expect(await as(reader, 'dynamodb:UpdateItem', table), reader).to.equal('ImplicitlyDenied');
          }
          expect(await as('list-videos', 'dynamodb:GetItem', table)).to.equal('ImplicitlyDenied');
          expect(await as('get-video', 'dynamodb:Query', `${table}/index/byStatus`)).to.equal(
            'ImplicitlyDenied',
          );
        });

        it('extract-metadata writing anything but metadata.json', async () => {
          const object = (key: string) =>
            `arn:aws:s3:::${world.bucketName('transcoded')}/videos/${SIM.videoId}/${key}`;
          expect(await as('extract-metadata', 's3:PutObject', object('metadata.json'), TLS)).to.equal(
            'Allowed',
          );
          for (const key of ['720p.mp4', 'poster.0000000.jpg']) {
            expect(await as('extract-metadata', 's3:PutObject', object(key), TLS), key).to.equal(
              'ImplicitlyDenied',
            );
          }
        });

        it('passing any role but the MediaConvert role, to anything but MediaConvert', async () => {
          const role = world.transcoderArn('role');
          const passTo = (service: string) => ({ 'iam:PassedToService': service });
          expect(
            await as('transcode-video', 'iam:PassRole', role, passTo('mediaconvert.amazonaws.com')),
          ).to.equal('Allowed');
          expect(await as('transcode-video', 'iam:PassRole', role, passTo('lambda.amazonaws.com'))).to.equal(
            'ImplicitlyDenied',
          );
          for (const fn of ALL_FUNCTIONS) {
            expect(
              await as(
                fn,
                'iam:PassRole',
                world.fn('delete-video').role,
                passTo('mediaconvert.amazonaws.com'),
              ),
              fn,
            ).to.equal('ImplicitlyDenied');
          }
        });

        it("another function's dead-letter queue and log group", async () => {
          expect(await as('transcode-video', 'sqs:SendMessage', world.fn('transcode-video').queue)).to.equal(
            'Allowed',
          );
          expect(await as('transcode-video', 'sqs:SendMessage', world.fn('delete-video').queue)).to.equal(
            'ImplicitlyDenied',
          );
          expect(await as('get-video', 'logs:PutLogEvents', world.fn('get-video').logStream)).to.equal(
            'Allowed',
          );
          expect(await as('get-video', 'logs:PutLogEvents', world.fn('list-videos').logStream)).to.equal(
            'ImplicitlyDenied',
          );
        });

        it('the key used directly, or through a service the function does not write to', async () => {
          for (const fn of ALL_FUNCTIONS) {
            const contexts: Record<string, string>[] = [
              {},
              { 'kms:ViaService': `sns.${SIM.region}.amazonaws.com` },
            ];
            for (const context of contexts) {
              for (const action of ['kms:Decrypt', 'kms:GenerateDataKey']) {
                expect(await as(fn, action, world.keyArn, context), `${fn} ${action}`).to.equal(
                  'ImplicitlyDenied',
                );
              }
            }
          }
        });

        it('create-upload decrypting: a single-part POST needs only a data key', async () => {
          const viaS3 = { 'kms:ViaService': `s3.${SIM.region}.amazonaws.com` };
          expect(await as('create-upload', 'kms:GenerateDataKey', world.keyArn, viaS3)).to.equal('Allowed');
          expect(await as('create-upload', 'kms:Decrypt', world.keyArn, viaS3)).to.equal('ImplicitlyDenied');
        });

        it('invoking delete-video to all but the functions that request a purge', async () => {
          const allowed: string[] = [];
          for (const fn of ALL_FUNCTIONS) {
            if ((await as(fn, 'lambda:InvokeFunction', world.fn('delete-video').arn)) === 'Allowed')
              allowed.push(fn);
          }
          expect(allowed.sort()).to.deep.equal([
            'extract-metadata',
            'reconcile-videos',
            'request-deletion',
            'transcode-status',
            'transcode-video',
          ]);
        });

        it('invoking transcode-video, the one function that starts jobs, to all but the ones that ask it for a job', async () => {
          const allowed: string[] = [];
          for (const fn of ALL_FUNCTIONS) {
            if ((await as(fn, 'lambda:InvokeFunction', world.fn('transcode-video').arn)) === 'Allowed')
              allowed.push(fn);
          }
          expect(allowed.sort()).to.deep.equal(['reconcile-videos', 'transcode-status']);
        });
      });

      describe('services acting on the stack', () => {
        it('S3 publishes to the transcoded topic only for the transcoded bucket of this account', async () => {
          const topic = `arn:aws:sns:${SIM.region}:${SIM.account}:${world.prefix}-transcoded`;
          const publish = (bucket: string, account: string = SIM.account) =>
            world.decide({
              principal: 's3.amazonaws.com',
              action: 'sns:Publish',
              resource: topic,
              context: { 'aws:SourceArn': `arn:aws:s3:::${bucket}`, 'aws:SourceAccount': account },
            });
          expect(await publish(world.bucketName('transcoded'))).to.equal('Allowed');
          expect(await publish(world.bucketName('uploads'))).to.equal('ImplicitlyDenied');
          expect(await publish(world.bucketName('transcoded'), '210987654321')).to.equal('ImplicitlyDenied');
        });

        it('CloudFront reads only renditions tagged public, through the media distribution', async () => {
          const rendition = `arn:aws:s3:::${world.bucketName('transcoded')}/videos/${SIM.videoId}/720p.mp4`;
          const read = (distribution: string, tag: string | undefined) =>
            world.decide({
              principal: 'cloudfront.amazonaws.com',
              action: 's3:GetObject',
              resource: rendition,
              context: {
                ...TLS,
                'aws:SourceArn': `arn:aws:cloudfront::${SIM.account}:distribution/${distribution}`,
                ...(tag ? { 's3:ExistingObjectTag/visibility': tag } : {}),
              },
            });
          expect(await read('DELIVERY', 'public')).to.equal('Allowed');
          expect(await read('DELIVERY', undefined)).to.equal('ImplicitlyDenied');
          expect(await read('DELIVERY', 'private')).to.equal('ImplicitlyDenied');
          expect(await read('WEB', 'public')).to.equal('ImplicitlyDenied');
        });

        it('CloudWatch Logs uses the key for the log groups of this stack only', async () => {
          const use = (action: string, group: string) =>
            world.decideWithEncryptionContext({
              principal: `logs.${SIM.region}.amazonaws.com`,
              action,
              resource: world.keyArn,
              context: {
                'kms:EncryptionContext:aws:logs:arn': `arn:aws:logs:${SIM.region}:${SIM.account}:log-group:${group}`,
              },
            });
          for (const action of ['kms:GenerateDataKey', 'kms:Decrypt', 'kms:Encrypt']) {
            expect(await use(action, `/aws/lambda/${world.prefix}-transcode-video`), action).to.equal(
              'Allowed',
            );
            expect(await use(action, `/aws/apigateway/${world.prefix}-api`), action).to.equal('Allowed');
            expect(await use(action, '/aws/lambda/someone-else'), action).to.equal('ImplicitlyDenied');
          }
        });

        it('the MediaConvert job role reads any upload and writes only under videos/', async () => {
          const role = `arn:aws:iam::${SIM.account}:role/${world.prefix}-mediaconvert`;
          const policy = world.servicePolicy(`${world.prefix}-mediaconvert`);
          const asRole = (action: string, resource: string, context: Record<string, string> = TLS) =>
            world.decide({ principal: role, action, resource, context }, policy);
          const uploads = `arn:aws:s3:::${world.bucketName('uploads')}`;
          const transcoded = `arn:aws:s3:::${world.bucketName('transcoded')}`;
          const viaS3 = { 'kms:ViaService': `s3.${SIM.region}.amazonaws.com` };
          expect(await asRole('s3:GetObject', `${uploads}/clip.mp4`)).to.equal('Allowed');
          expect(await asRole('s3:PutObject', `${transcoded}/videos/${SIM.videoId}/720p.mp4`)).to.equal(
            'Allowed',
          );
          expect(await asRole('kms:Decrypt', world.keyArn, viaS3)).to.equal('Allowed');
          expect(await asRole('kms:GenerateDataKey', world.keyArn, viaS3)).to.equal('Allowed');
          expect(await asRole('s3:PutObject', `${uploads}/clip.mp4`)).to.equal('ImplicitlyDenied');
          expect(await asRole('s3:PutObject', `${transcoded}/index.html`)).to.equal('ImplicitlyDenied');
          expect(await asRole('s3:DeleteObject', `${transcoded}/videos/${SIM.videoId}/720p.mp4`)).to.equal(
            'ImplicitlyDenied',
          );
          expect(await asRole('kms:Decrypt', world.keyArn, {})).to.equal('ImplicitlyDenied');
        });
      });
    } else {
      it('the Elastic Transcoder pipeline role publishes only to its status topic, encrypting through SNS', async () => {
        const roleName = `${world.prefix}-elastic-transcoder`;
        const policy = world.servicePolicy(roleName);
        const principal = `arn:aws:iam::${SIM.account}:role/${roleName}`;
        const topic = (name: string) => `arn:aws:sns:${SIM.region}:${SIM.account}:${world.prefix}-${name}`;
        const viaSns = { 'kms:ViaService': `sns.${SIM.region}.amazonaws.com` };
        const decide = (action: string, resource: string, context: Record<string, string> = {}) =>
          world.decide({ principal, action, resource, context }, policy);
        expect(await decide('sns:Publish', topic('transcoder-status'))).to.equal('Allowed');
        expect(await decide('kms:GenerateDataKey', world.keyArn, viaSns)).to.equal('Allowed');
        expect(await decide('sns:Publish', topic('transcoded'))).to.equal('ImplicitlyDenied');
        expect(await decide('sns:Publish', topic('alarms'))).to.equal('ImplicitlyDenied');
      });
    }
  });
}
