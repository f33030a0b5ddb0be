import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { COMPUTED_ATTRIBUTES } from '#local/emulators/attributes.ts';
import type { JsonObject } from '#shared/json';

/** Account id every local ARN carries. */
export const LOCAL_ACCOUNT = '000000000000';

/** One resource (or data source) block of the synthesized stack, with its Terraform address. */
export interface StackResource {
  readonly type: string;
  readonly name: string;
  /** `type.name`, or `data.type.name` for data sources. */
  readonly address: string;
  readonly config: JsonObject;
}

/** A reference the local cloud cannot resolve (an unknown resource, or a Terraform expression it does not evaluate). */
export class UnresolvedTokenError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'UnresolvedTokenError';
  }
}

const SIMPLE_REF = /\$\{((?:data\.)?[a-z0-9_]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_.]+)\}/g;

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
    readonly json: JsonObject,
    /** Directory the JSON was read from; asset paths in it are relative to it. */
    readonly directory: string,
  ) {
    for (const [kind, prefix] of [
      ['resource', ''],
      ['data', 'data.'],
    ] as const) {
      const blocks = (json[kind] ?? {}) as Record<string, Record<string, JsonObject>>;
      for (const [type, byName] of Object.entries(blocks)) {
        for (const [name, config] of Object.entries(byName)) {
          const address = `${prefix}${type}.${name}`;
          this.byAddress.set(address, { type, name, address, config });
        }
      }
    }
    const providers = ((json.provider as JsonObject | undefined)?.aws ?? []) as JsonObject[];
    const region = providers.map((p) => p.region).find((r): r is string => typeof r === 'string');
    this.region = region && !region.includes('${') ? region : 'us-east-1';
  }

  /** Reads the synthesized stack from a `cdk.tf.json` file. */
  static fromFile(path: string): SynthesizedStack {
    const absolute = resolve(path);
    return new SynthesizedStack(JSON.parse(readFileSync(absolute, 'utf8')) as JsonObject, dirname(absolute));
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

  /** Attributes the provider computes (ARNs, ids, names from prefixes), from the service's builder. */
  private computed(resource: StackResource, attribute: string, own: (field: string) => unknown): unknown {
    const digest = createHash('sha256').update(`${resource.type}.${resource.name}`).digest('hex');
    const build = COMPUTED_ATTRIBUTES[resource.type];
    if (!build) return attribute === 'id' && typeof own('name') === 'string' ? own('name') : undefined;
    return build({
      region: this.region,
      account: LOCAL_ACCOUNT,
      own,
      digest,
      name: (field) => {
        const value = own(field);
        if (typeof value === 'string') return value;
        const prefix = own(`${field}_prefix`);
        return `${typeof prefix === 'string' ? prefix : ''}${digest.slice(0, 20)}`;
      },
    })[attribute];
  }
}
