import { runSimulation, runUnsafeSimulation } from '@cloud-copilot/iam-simulate';
import type { AwsCall, CallTarget, GrantedBucket } from '#shared/iam';
import { ELASTIC_TRANSCODER_PRESETS } from '#shared/transcoder/elastic-transcoder/presets';
import type { TranscoderBackend } from '#shared/transcoder/port';
import { ACCOUNT, functionStatements, resourcesOf, type Tf } from '#test/support/infra.ts';

/** The concrete values the simulation puts where a synthesized stack has Terraform references. */
export const SIM = {
  account: '123456789012',
  region: 'us-east-1',
  ownerId: '3f1c9a52-7b1e-4d0a-9c3e-5a2b8d7e6f01',
  videoId: 'Vq3x9ZkT2mB7wLp4sR8yNa',
  jobId: '1732112233445-abc123',
  pipelineId: '1732112233445-pl0001',
  keyId: '0b6b2f39-2d7c-4b8e-9a61-4f3d2c1b0a99',
} as const;

/** A simulation's answer. */
export type Decision = 'Allowed' | 'ImplicitlyDenied' | 'ExplicitlyDenied';

/** One request to simulate. */
export interface SimRequest {
  readonly principal: string;
  readonly action: string;
  readonly resource: string;
  readonly context?: Readonly<Record<string, string | string[]>>;
}

/** Fills `<ownerId>` and `<videoId>` with the simulation's values. */
export function fill(text: string): string {
  return text.replaceAll('<ownerId>', SIM.ownerId).replaceAll('<videoId>', SIM.videoId);
}

/** IAM's string matching (`*` any run of characters, `?` one). */
export function globMatches(pattern: string, value: string): boolean {
  const regex = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${regex}$`).test(value);
}

/**
 * One synthesized stack as IAM would see it once applied: every Terraform reference in its policies
 * replaced by the ARN it stands for, in account {@link SIM.account}. It answers what a principal may
 * do with the role policy, the resource's own policy (bucket, key, topic, queue) and the request's
 * context, through `@cloud-copilot/iam-simulate`.
 */
export class PolicyWorld {
  readonly prefix: string;

  constructor(
    readonly tf: Tf,
    readonly backend: TranscoderBackend,
  ) {
    const table = Object.values(resourcesOf(tf, 'aws_dynamodb_table'))[0];
    this.prefix = String(table?.name).replace(/-videos$/, '');
  }

  /** The value `text` has once Terraform resolved the references in it. */
  concrete(text: string): string {
    return text
      .replaceAll(ACCOUNT, SIM.account)
      .replace(
        /\$\{(aws_[a-z0-9_]+)\.([^.}]+)\.([a-z_]+)\}/g,
        (_m, type: string, key: string, attr: string) => this.attribute(type, key, attr),
      );
  }

  private attribute(type: string, key: string, attr: string): string {
    const r = resourcesOf(this.tf, type)[key];
    if (!r) throw new Error(`No ${type}.${key} in the stack.`);
    const { account, region } = SIM;
    if (attr === 'arn') {
      switch (type) {
        case 'aws_s3_bucket':
          return `arn:aws:s3:::${r.bucket}`;
        case 'aws_dynamodb_table':
          return `arn:aws:dynamodb:${region}:${account}:table/${r.name}`;
        case 'aws_lambda_function':
          return this.functionArn(String(r.function_name));
        case 'aws_sqs_queue':
          return `arn:aws:sqs:${region}:${account}:${r.name}`;
        case 'aws_cloudwatch_log_group':
          return `arn:aws:logs:${region}:${account}:log-group:${r.name}`;
        case 'aws_media_convert_queue':
          return `arn:aws:mediaconvert:${region}:${account}:queues/${r.name}`;
        case 'aws_iam_role':
          return `arn:aws:iam::${account}:role/${r.name}`;
        case 'aws_sns_topic':
          return `arn:aws:sns:${region}:${account}:${r.name}`;
        case 'aws_kms_key':
          return this.keyArn;
        case 'aws_cloudfront_distribution':
          return `arn:aws:cloudfront::${account}:distribution/${key.split('_')[0]?.toUpperCase()}`;
        case 'aws_elastictranscoder_pipeline':
          return `arn:aws:elastictranscoder:${region}:${account}:pipeline/${SIM.pipelineId}`;
      }
    }
    if (attr === 'id' && type === 'aws_elastictranscoder_pipeline') return SIM.pipelineId;
    if (attr === 'name' && typeof r.name === 'string') return r.name;
    if (attr === 'bucket' && typeof r.bucket === 'string') return r.bucket;
    throw new Error(
      `The simulation cannot resolve \${${type}.${key}.${attr}}; teach PolicyWorld.attribute it.`,
    );
  }

  get keyArn(): string {
    return `arn:aws:kms:${SIM.region}:${SIM.account}:key/${SIM.keyId}`;
  }

  bucketName(bucket: GrantedBucket | 'web'): string {
    return `${this.prefix}-${bucket}`;
  }

  functionArn(functionName: string): string {
    return `arn:aws:lambda:${SIM.region}:${SIM.account}:function:${functionName}`;
  }

  /** A function of the stack by its folder name: its ARN, role, log group and dead-letter queue. */
  fn(name: string): { arn: string; role: string; logStream: string; queue: string } {
    const functionName = `${this.prefix}-${name}`;
    return {
      arn: this.functionArn(functionName),
      role: `arn:aws:iam::${SIM.account}:role/${functionName}-fn`,
      logStream: `arn:aws:logs:${SIM.region}:${SIM.account}:log-group:/aws/lambda/${functionName}:log-stream:2026/11/24/[$LATEST]0123456789abcdef`,
      queue: `arn:aws:sqs:${SIM.region}:${SIM.account}:${functionName}-dlq`,
    };
  }

  /** True when the function is invoked asynchronously, so Lambda sends its failed events to a queue. */
  hasDeadLetterQueue(name: string): boolean {
    return Object.values(resourcesOf(this.tf, 'aws_sqs_queue')).some(
      (q) => q.name === `${this.prefix}-${name}-dlq`,
    );
  }

  /** The transcoder's resources in this stack. */
  transcoderArn(kind: 'queue' | 'pipeline' | 'preset' | 'job' | 'role'): string {
    const { account, region } = SIM;
    const mediaConvert = this.backend === 'mediaconvert';
    switch (kind) {
      case 'queue':
        return `arn:aws:mediaconvert:${region}:${account}:queues/${this.prefix}`;
      case 'pipeline':
        return `arn:aws:elastictranscoder:${region}:${account}:pipeline/${SIM.pipelineId}`;
      case 'preset':
        return `arn:aws:elastictranscoder:${region}:${account}:preset/${ELASTIC_TRANSCODER_PRESETS['720p']}`;
      case 'job':
        return mediaConvert
          ? `arn:aws:mediaconvert:${region}:${account}:jobs/${SIM.jobId}`
          : `arn:aws:elastictranscoder:${region}:${account}:job/${SIM.jobId}`;
      case 'role':
        return `arn:aws:iam::${account}:role/${this.prefix}-${mediaConvert ? 'mediaconvert' : 'elastic-transcoder'}`;
    }
  }

  /** The request a call makes, with the context AWS adds (TLS, the listing prefix, the passed role's service). */
  requestOf(functionName: string, call: Pick<AwsCall, 'action' | 'on'>): SimRequest {
    const { resource, context } = this.target(call.on);
    return {
      principal: this.fn(functionName).role,
      action: call.action,
      resource,
      context: {
        ...context,
        ...(call.action === 'iam:PassRole' ? { 'iam:PassedToService': 'mediaconvert.amazonaws.com' } : {}),
      },
    };
  }

  /** The ARN and context of a call's target; a `*` in a key stands for one sample segment. */
  target(on: CallTarget): { resource: string; context: Record<string, string> } {
    const tls = { 'aws:SecureTransport': 'true' };
    if (on === '*') return { resource: '*', context: {} };
    if ('table' in on) {
      const table = `arn:aws:dynamodb:${SIM.region}:${SIM.account}:table/${this.prefix}-videos`;
      return { resource: 'index' in on ? `${table}/index/${on.index}` : table, context: {} };
    }
    if ('key' in on) {
      const key = fill(on.key).replace(/\*/g, 'sample');
      return { resource: `arn:aws:s3:::${this.bucketName(on.bucket)}/${key}`, context: tls };
    }
    if ('listPrefix' in on) {
      return {
        resource: `arn:aws:s3:::${this.bucketName(on.bucket)}`,
        context: { ...tls, 's3:prefix': fill(on.listPrefix) },
      };
    }
    if ('function' in on) return { resource: this.fn(on.function).arn, context: {} };
    return { resource: this.transcoderArn(on.transcoder), context: {} };
  }

  /** The identity policy of a function's role, references resolved. */
  rolePolicy(functionName: string): unknown {
    return this.policy({ Version: '2012-10-17', Statement: functionStatements(this.tf, functionName) });
  }

  /** An inline role policy (by the role's name), references resolved. */
  servicePolicy(roleName: string): unknown {
    const roleKey = Object.entries(resourcesOf(this.tf, 'aws_iam_role')).find(
      ([, r]) => r.name === roleName,
    )?.[0];
    const policy = Object.values(resourcesOf(this.tf, 'aws_iam_role_policy')).find(
      (p) => p.role === `\${aws_iam_role.${roleKey}.id}`,
    );
    if (!policy) throw new Error(`No role policy for the role ${roleName}.`);
    return this.policy(JSON.parse(policy.policy as string));
  }

  /** The policy of the resource a request names: its bucket's, the key's, its topic's or queue's. */
  resourcePolicyOf(resource: string): unknown {
    const bucket = /^arn:aws:s3:::([^/]+)/.exec(resource)?.[1];
    if (bucket) {
      const key = Object.entries(resourcesOf(this.tf, 'aws_s3_bucket')).find(
        ([, b]) => b.bucket === bucket,
      )?.[0];
      return this.attached('aws_s3_bucket_policy', (p) => p.bucket === `\${aws_s3_bucket.${key}.id}`);
    }
    if (resource === this.keyArn) return this.attached('aws_kms_key_policy', () => true);
    if (resource.startsWith('arn:aws:sns:')) {
      return this.attached('aws_sns_topic_policy', (p) => this.concrete(String(p.arn)) === resource);
    }
    if (resource.startsWith('arn:aws:sqs:')) {
      return this.attached('aws_sqs_queue_policy', (p) =>
        this.concrete(String(p.queue_url)).endsWith(resource),
      );
    }
    return undefined;
  }

  private attached(type: string, where: (r: Tf) => boolean): unknown {
    const found = Object.values(resourcesOf(this.tf, type)).find(where);
    return found ? this.policy(JSON.parse(found.policy as string)) : undefined;
  }

  private policy(document: unknown): unknown {
    return JSON.parse(this.concrete(JSON.stringify(document)));
  }

  /**
   * What IAM decides for `request`, from the identity policy given (none for a service principal) and
   * the resource's policy.
   */
  async decide(request: SimRequest, identityPolicy?: unknown): Promise<Decision> {
    const simulation = this.simulation(request, identityPolicy);
    const result = await runSimulation(simulation, {});
    if (result.resultType === 'error') {
      throw new Error(
        `Cannot simulate ${request.action} on ${request.resource}: ${JSON.stringify(result.errors)}`,
      );
    }
    return result.overallResult as Decision;
  }

  /**
   * Like {@link decide}, for conditions on `kms:EncryptionContext:<key>`: iam-simulate drops context
   * keys whose variable part follows a `:` (it knows `aws:PrincipalTag/<key>` only), so the request is
   * validated without it, then evaluated with it by the engine that skips validation.
   */
  async decideWithEncryptionContext(request: SimRequest, identityPolicy?: unknown): Promise<Decision> {
    const context = request.context ?? {};
    const validated = Object.fromEntries(
      Object.entries(context).filter(([key]) => !key.startsWith('kms:EncryptionContext:')),
    );
    await this.decide({ ...request, context: validated }, identityPolicy);
    const simulation = this.simulation(request, identityPolicy);
    const resourcePolicy = simulation.resourcePolicy;
    return runUnsafeSimulation(
      {
        ...simulation,
        // The unchecked engine reads the policy's name from a validated policy's metadata.
        resourcePolicy: resourcePolicy && {
          __validated: true,
          policyDocument: resourcePolicy,
          metadata: { name: 'resource-policy' },
          errors: [],
        },
      },
      {},
    ) as unknown as Decision;
  }

  private simulation(request: SimRequest, identityPolicy: unknown) {
    const resourcePolicy = this.resourcePolicyOf(request.resource);
    return {
      request: {
        principal: request.principal,
        action: request.action,
        resource: { resource: request.resource, accountId: SIM.account },
        contextVariables: { ...request.context },
      },
      identityPolicies: identityPolicy ? [{ name: 'policy', policy: identityPolicy }] : [],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      ...(resourcePolicy ? { resourcePolicy } : {}),
    };
  }
}
