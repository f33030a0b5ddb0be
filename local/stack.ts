import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/** Account id every local ARN carries. */
export const LOCAL_ACCOUNT = '000000000000';

type Json = Record<string, unknown>;

/** One resource (or data source) block of the synthesized stack, with its Terraform address. */
export interface StackResource {
  readonly type: string;
  readonly name: string;
  /** `type.name`, or `data.type.name` for data sources. */
  readonly address: string;
  readonly config: Json;
}

/** A reference the local cloud cannot resolve (an unknown resource, or a Terraform expression it does not evaluate). */
export class UnresolvedTokenError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'UnresolvedTokenError';
  }
}

const SIMPLE_REF = /\$\{((?:data\.)?[a-z0-9_]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_.]+)\}/g;

/** Physical names of local resources that have no name in the stack (pipeline ids are assigned by the service). */
function generatedId(type: string, name: string): string {
  const hash = createHash('sha256').update(`${type}.${name}`).digest('hex');
  if (type === 'aws_elastictranscoder_pipeline') {
    const digits = `${BigInt(`0x${hash.slice(0, 12)}`) % 10n ** 13n}`.padStart(13, '1');
    return `${digits}-${hash.slice(12, 18)}`;
  }
  // Cognito app client ids are 26 lower-case letters and digits; user pool ids are `<region>_` + 9 characters.
  if (type === 'aws_cognito_user_pool_client') return BigInt(`0x${hash}`).toString(36).slice(0, 26);
  if (type === 'aws_cognito_user_pool') return BigInt(`0x${hash}`).toString(36).slice(0, 9);
  return hash.slice(0, 20);
}

/**
 * The synthesized Terraform JSON of one stack (`cdktf.out/stacks/<stack>/cdk.tf.json`), with
 * `${type.name.attr}` tokens resolved against local resources: names come from the stack, ARNs
 * are built in the stack's region under {@link LOCAL_ACCOUNT}, service-assigned ids are derived
 * from the address so they are stable between runs.
 */
export class SynthesizedStack {
  readonly region: string;
  private readonly byAddress = new Map<string, StackResource>();

  constructor(
    readonly json: Json,
    /** Directory the JSON was read from; asset paths in it are relative to it. */
    readonly directory: string,
  ) {
    for (const [kind, prefix] of [
      ['resource', ''],
      ['data', 'data.'],
    ] as const) {
      const blocks = (json[kind] ?? {}) as Record<string, Record<string, Json>>;
      for (const [type, byName] of Object.entries(blocks)) {
        for (const [name, config] of Object.entries(byName)) {
          const address = `${prefix}${type}.${name}`;
          this.byAddress.set(address, { type, name, address, config });
        }
      }
    }
    const providers = ((json.provider as Json | undefined)?.aws ?? []) as Json[];
    const region = providers.map((p) => p.region).find((r): r is string => typeof r === 'string');
    this.region = region && !region.includes('${') ? region : 'us-east-1';
  }

  /** Reads the synthesized stack from a `cdk.tf.json` file. */
  static fromFile(path: string): SynthesizedStack {
    const absolute = resolve(path);
    return new SynthesizedStack(JSON.parse(readFileSync(absolute, 'utf8')) as Json, dirname(absolute));
  }

  /** Every resource of `type` (not data sources). */
  resources(type: string): StackResource[] {
    return [...this.byAddress.values()].filter((r) => r.type === type && !r.address.startsWith('data.'));
  }

  /** The resource at a Terraform address, or undefined. */
  find(address: string): StackResource | undefined {
    return this.byAddress.get(address);
  }

  /** Deep copy of `value` with every simple `${type.name.attr}` reference replaced by its local value. */
  resolve<T>(value: T): T {
    return this.resolveValue(value, new Set()) as T;
  }

  /** A string attribute of a resource after resolution; throws when it is missing or stays an expression. */
  resolveString(value: unknown, what: string): string {
    const resolved = this.resolve(value);
    if (typeof resolved !== 'string' || resolved.includes('${')) {
      throw new UnresolvedTokenError(
        `${what} is ${JSON.stringify(value)}, which the local cloud cannot resolve to a string; use a plain reference such as \${aws_s3_bucket.x.bucket}.`,
      );
    }
    return resolved;
  }

  /** The local value of `attribute` of the resource at `address`. */
  attribute(address: string, attribute: string): unknown {
    return this.attributeOf(address, attribute, new Set());
  }

  /** The resource a resolved ARN or name denotes: the one of `type` whose `arn` (or `id`, `name`) equals it. */
  resourceByArn(type: string, arnOrName: string): StackResource | undefined {
    return this.resources(type).find((r) =>
      ['arn', 'id', 'name', 'function_name'].some((attr) => {
        try {
          return this.attribute(r.address, attr) === arnOrName;
        } catch {
          return false;
        }
      }),
    );
  }

  private resolveValue(value: unknown, visiting: Set<string>): unknown {
    if (typeof value === 'string') return this.resolveText(value, visiting);
    if (Array.isArray(value)) return value.map((v) => this.resolveValue(v, visiting));
    if (value && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this.resolveValue(v, visiting)]));
    }
    return value;
  }

  private resolveText(text: string, visiting: Set<string>): unknown {
    const whole = /^\$\{((?:data\.)?[a-z0-9_]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_.]+)\}$/.exec(text);
    if (whole?.[1]) {
      const resolved = this.reference(whole[1], visiting);
      return resolved === undefined ? text : resolved;
    }
    return text.replace(SIMPLE_REF, (token, ref: string) => {
      const resolved = this.reference(ref, visiting);
      return typeof resolved === 'string' || typeof resolved === 'number' ? String(resolved) : token;
    });
  }

  private reference(ref: string, visiting: Set<string>): unknown {
    const parts = ref.split('.');
    const isData = parts[0] === 'data';
    const address = parts.slice(0, isData ? 3 : 2).join('.');
    const path = parts.slice(isData ? 3 : 2);
    if (!this.byAddress.has(address) || path.length === 0) return undefined;
    const [attribute, ...rest] = path as [string, ...string[]];
    let value = this.attributeOf(address, attribute, visiting);
    for (const step of rest) {
      if (value && typeof value === 'object') value = (value as Record<string, unknown>)[step];
      else return undefined;
    }
    return value;
  }

  private attributeOf(address: string, attribute: string, visiting: Set<string>): unknown {
    const resource = this.byAddress.get(address);
    if (!resource) throw new UnresolvedTokenError(`The stack has no resource ${address}.`);
    const key = `${address}.${attribute}`;
    if (visiting.has(key)) throw new UnresolvedTokenError(`Circular reference through ${key}.`);
    visiting.add(key);
    try {
      const own = (field: string) => this.resolveValue(resource.config[field], visiting);
      const computed = this.computed(resource, attribute, own);
      if (computed !== undefined) return computed;
      if (attribute in resource.config) return own(attribute);
      return undefined;
    } finally {
      visiting.delete(key);
    }
  }

  /** Attributes the provider computes (ARNs, ids, names from prefixes), built the way AWS builds them. */
  private computed(resource: StackResource, attribute: string, own: (field: string) => unknown): unknown {
    const region = this.region;
    const name = (field: string): string => {
      const value = own(field);
      if (typeof value === 'string') return value;
      const prefix = own(`${field}_prefix`);
      return `${typeof prefix === 'string' ? prefix : ''}${generatedId(resource.type, resource.name)}`;
    };
    switch (resource.type) {
      case 'aws_s3_bucket': {
        const bucket = name('bucket');
        return (
          {
            bucket,
            id: bucket,
            arn: `arn:aws:s3:::${bucket}`,
            bucket_domain_name: `${bucket}.s3.amazonaws.com`,
            bucket_regional_domain_name: `${bucket}.s3.${region}.amazonaws.com`,
          } as Json
        )[attribute];
      }
      case 'aws_sns_topic': {
        const arn = `arn:aws:sns:${region}:${LOCAL_ACCOUNT}:${name('name')}`;
        return ({ name: name('name'), arn, id: arn } as Json)[attribute];
      }
      case 'aws_sqs_queue': {
        const queue = name('name');
        return (
          {
            name: queue,
            arn: `arn:aws:sqs:${region}:${LOCAL_ACCOUNT}:${queue}`,
            id: `https://sqs.${region}.amazonaws.com/${LOCAL_ACCOUNT}/${queue}`,
            url: `https://sqs.${region}.amazonaws.com/${LOCAL_ACCOUNT}/${queue}`,
          } as Json
        )[attribute];
      }
      case 'aws_lambda_function': {
        const fn = name('function_name');
        const arn = `arn:aws:lambda:${region}:${LOCAL_ACCOUNT}:function:${fn}`;
        return (
          {
            function_name: fn,
            id: fn,
            arn,
            qualified_arn: `${arn}:$LATEST`,
            invoke_arn: `arn:aws:apigateway:${region}:lambda:path/2015-03-31/functions/${arn}/invocations`,
            version: '$LATEST',
          } as Json
        )[attribute];
      }
      case 'aws_dynamodb_table': {
        const table = name('name');
        return (
          {
            name: table,
            id: table,
            arn: `arn:aws:dynamodb:${region}:${LOCAL_ACCOUNT}:table/${table}`,
          } as Json
        )[attribute];
      }
      case 'aws_elastictranscoder_pipeline': {
        const id = generatedId(resource.type, resource.name);
        return ({ id, arn: `arn:aws:elastictranscoder:${region}:${LOCAL_ACCOUNT}:pipeline/${id}` } as Json)[
          attribute
        ];
      }
      case 'aws_media_convert_queue': {
        const queue = name('name');
        return (
          {
            name: queue,
            id: queue,
            arn: `arn:aws:mediaconvert:${region}:${LOCAL_ACCOUNT}:queues/${queue}`,
          } as Json
        )[attribute];
      }
      case 'aws_iam_role':
      case 'aws_iam_policy': {
        const role = name('name');
        const kind = resource.type === 'aws_iam_role' ? 'role' : 'policy';
        return ({ name: role, id: role, arn: `arn:aws:iam::${LOCAL_ACCOUNT}:${kind}/${role}` } as Json)[
          attribute
        ];
      }
      case 'aws_cloudwatch_event_rule': {
        const rule = name('name');
        const bus = own('event_bus_name');
        const path = typeof bus === 'string' && bus !== 'default' ? `${bus}/${rule}` : rule;
        return (
          { name: rule, id: rule, arn: `arn:aws:events:${region}:${LOCAL_ACCOUNT}:rule/${path}` } as Json
        )[attribute];
      }
      case 'aws_cloudwatch_log_group': {
        const group = name('name');
        return (
          {
            name: group,
            id: group,
            arn: `arn:aws:logs:${region}:${LOCAL_ACCOUNT}:log-group:${group}`,
          } as Json
        )[attribute];
      }
      case 'aws_lambda_layer_version': {
        const layer = name('layer_name');
        const arn = `arn:aws:lambda:${region}:${LOCAL_ACCOUNT}:layer:${layer}:1`;
        return ({ arn, id: arn, layer_arn: arn.replace(/:1$/, ''), version: '1' } as Json)[attribute];
      }
      case 'aws_cognito_user_pool': {
        const id = `${region}_${generatedId(resource.type, resource.name)}`;
        return (
          {
            id,
            arn: `arn:aws:cognito-idp:${region}:${LOCAL_ACCOUNT}:userpool/${id}`,
            endpoint: `cognito-idp.${region}.amazonaws.com/${id}`,
          } as Json
        )[attribute];
      }
      case 'aws_cognito_user_pool_client':
        return attribute === 'id' ? generatedId(resource.type, resource.name) : undefined;
      case 'aws_region':
        return ({ name: region, id: region, region } as Json)[attribute];
      case 'aws_caller_identity':
        return ({ account_id: LOCAL_ACCOUNT, id: LOCAL_ACCOUNT } as Json)[attribute];
      case 'aws_partition':
        return ({ partition: 'aws', id: 'aws', dns_suffix: 'amazonaws.com' } as Json)[attribute];
      default:
        if (attribute === 'id' && typeof own('name') === 'string') return own('name');
        return undefined;
    }
  }
}
