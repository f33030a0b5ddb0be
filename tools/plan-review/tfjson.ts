/**
 * Synthesized configuration (`cdktf.out/stacks/<stack>/cdk.tf.json`): load it, normalise what changes on
 * every synthesis without meaning anything (asset hashes, construct metadata), and diff two versions per block.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { isObject } from '#shared/json';
import { assetNormaliser, fingerprintAssets } from './assets.ts';
import { diffPolicies } from './iam.ts';
import type { ResourceRow } from './markdown.ts';
import { attributeChanges } from './values.ts';

/** One synthesized stack, already normalised. */
export interface SynthStack {
  name: string;
  /** Blocks by address: `aws_s3_bucket.upload`, `data.aws_iam_policy_document.x`, `output.api_url`, `provider.aws`. */
  blocks: Map<string, { type: string; body: unknown }>;
}

/** The synthesized output is missing or unreadable. */
export class SynthOutputError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SynthOutputError';
  }
}

/** Removes cdktf's `//` metadata keys (construct paths, stack traces) and applies `rewrite` to every string. */
export function normalise(value: unknown, rewrite: (text: string) => string): unknown {
  if (typeof value === 'string') return rewrite(value);
  if (Array.isArray(value)) return value.map((item) => normalise(item, rewrite));
  if (isObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) if (key !== '//') out[key] = normalise(item, rewrite);
    return out;
  }
  return value;
}

/** Splits a `cdk.tf.json` document into addressable blocks. */
export function blocksOf(config: Record<string, unknown>): Map<string, { type: string; body: unknown }> {
  const blocks = new Map<string, { type: string; body: unknown }>();
  for (const [kind, section] of Object.entries(config)) {
    if (kind === '//') continue;
    if ((kind === 'resource' || kind === 'data') && isObject(section)) {
      for (const [type, byName] of Object.entries(section)) {
        if (!isObject(byName)) continue;
        for (const [name, body] of Object.entries(byName)) {
          blocks.set(`${kind === 'data' ? 'data.' : ''}${type}.${name}`, { type, body });
        }
      }
    } else if (['output', 'variable', 'provider', 'module'].includes(kind) && isObject(section)) {
      for (const [name, body] of Object.entries(section)) blocks.set(`${kind}.${name}`, { type: kind, body });
    } else {
      blocks.set(kind, { type: kind, body: section });
    }
  }
  return blocks;
}

/** Where to read synthesized stacks from, and the checkout they were synthesized in. */
export interface LoadOptions {
  /** Folder under `outDir` holding one directory per stack; `stacks` by default. */
  folder?: string;
  /** Checkout root; its absolute path (e.g. in a local backend's state path) reads as `<repo>`. */
  root?: string;
}

/** Reads `<outDir>/<folder>/*\/cdk.tf.json`, normalising asset references by content and the checkout path. */
export function loadStacks(outDir: string, options: LoadOptions = {}): Map<string, SynthStack> {
  const stacksDir = join(outDir, options.folder ?? 'stacks');
  if (!existsSync(stacksDir)) {
    throw new SynthOutputError(
      `No synthesized stacks in ${stacksDir}: did the synth command write cdktf.out?`,
    );
  }
  const bareRoot = options.root?.replace(/\/+$/, '');
  const stacks = new Map<string, SynthStack>();
  for (const name of readdirSync(stacksDir).sort()) {
    const dir = join(stacksDir, name);
    const file = join(dir, 'cdk.tf.json');
    if (!statSync(dir).isDirectory() || !existsSync(file)) continue;
    let config: unknown;
    try {
      config = JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      throw new SynthOutputError(`${file} is not valid JSON: ${(error as Error).message}`, { cause: error });
    }
    if (!isObject(config)) throw new SynthOutputError(`${file} is not a JSON object.`);
    const assets = assetNormaliser(fingerprintAssets(dir, options.root));
    const rewrite = (text: string) => {
      const normalised = assets(text);
      return bareRoot ? normalised.split(bareRoot).join('<repo>') : normalised;
    };
    const normalised = normalise(config, rewrite) as Record<string, unknown>;
    stacks.set(name, { name, blocks: blocksOf(normalised) });
  }
  return stacks;
}

/** Resource rows for the differences between two versions of one stack (either may be absent). */
export function diffStack(before: SynthStack | undefined, after: SynthStack | undefined): ResourceRow[] {
  const was = before?.blocks ?? new Map();
  const now = after?.blocks ?? new Map();
  const rows: ResourceRow[] = [];
  for (const address of [...new Set([...was.keys(), ...now.keys()])]) {
    const old = was.get(address);
    const neu = now.get(address);
    const changes = attributeChanges(old?.body, neu?.body);
    if (old !== undefined && neu !== undefined && changes.length === 0) continue;
    const type = (neu ?? old)?.type;
    rows.push({
      address,
      action: old === undefined ? 'create' : neu === undefined ? 'delete' : 'update',
      changes,
      forcing: new Set(),
      iam: neu === undefined ? [] : diffPolicies(old?.body, neu.body, type),
      notes: [],
    });
  }
  return rows;
}
