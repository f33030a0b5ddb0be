import { randomBytes } from 'node:crypto';
import { DeleteObjectCommand, HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import {
  ARCHIVE_BUCKET,
  archiveKey,
  archiveVersion,
  tagObject,
  tagsFromQuery,
  unarchiveVersion,
} from './archive.ts';
import { compareKeys } from './keys.ts';

/** One version of a key, or one delete marker, newest first in {@link VersionStore}. */
export interface ObjectVersion {
  readonly versionId: string;
  readonly deleteMarker: boolean;
  readonly lastModified: Date;
  readonly etag?: string;
  readonly size?: number;
}

/** Where the bytes of a requested version are, for a read. */
export type VersionLocation =
  | { readonly kind: 'current'; readonly version?: ObjectVersion }
  | { readonly kind: 'archived'; readonly version: ObjectVersion; readonly archiveKey: string }
  | { readonly kind: 'delete-marker'; readonly version: ObjectVersion }
  | { readonly kind: 'no-such-version' };

/** What one delete did, as DeleteObject and DeleteObjects report it. */
export interface DeleteOutcome {
  readonly key: string;
  /** The version the request named (removed for good). */
  readonly versionId?: string;
  /** True when a delete marker was created (no version named) or removed (its version named). */
  readonly deleteMarker: boolean;
  readonly deleteMarkerVersionId?: string;
}

/** One page of ListObjectVersions. */
export interface VersionListing {
  readonly entries: readonly (ObjectVersion & { readonly key: string; readonly isLatest: boolean })[];
  readonly isTruncated: boolean;
  readonly nextKeyMarker?: string;
  readonly nextVersionIdMarker?: string;
}

/** Announces an S3 event for a version (the gateway's notifications). */
export type Announce = (eventName: string, bucket: string, key: string, versionId: string) => void;

/**
 * S3 versioning over s3rver, which keeps one object per key: the latest version stays at its key
 * in s3rver (so plain GET, HEAD, ranges, tagging and listing work as before); every noncurrent
 * version moves to {@link ARCHIVE_BUCKET}; delete markers exist only here. Each change to one key
 * runs alone (a per-key lock), so every write gets its own version id, in its response and its event.
 */
export class VersionStore {
  private readonly enabled = new Set<string>();
  private readonly versions = new Map<string, ObjectVersion[]>();
  private readonly locks = new Map<string, Promise<unknown>>();
  private readonly pending = new Map<string, string>();
  private readonly suppressed = new Set<string>();

  constructor(
    /** A client straight to s3rver (not the gateway). */
    private readonly backend: S3Client,
    private readonly announce: Announce,
  ) {}

  enable(bucket: string, on: boolean): void {
    if (on) this.enabled.add(bucket);
    else this.enabled.delete(bucket);
  }

  isVersioned(bucket: string): boolean {
    return this.enabled.has(bucket);
  }

  /** The version id of the write of `bucket/key` in progress, for the event s3rver emits during it. */
  pendingVersion(bucket: string, key: string): string | undefined {
    return this.pending.get(id(bucket, key));
  }

  /** True (once) when s3rver's event for `bucket/key` is the gateway's own bookkeeping, not a client's write. */
  consumeSuppressed(bucket: string, key: string): boolean {
    return this.suppressed.delete(id(bucket, key));
  }

  /**
   * Runs one client write of `bucket/key` (`perform` proxies it to s3rver and resolves to whether it
   * succeeded) as a new version: the previous latest version is archived first, and the new one is
   * recorded before `perform`'s response goes out (`commit`). Resolves to the new version id.
   */
  write(
    bucket: string,
    key: string,
    perform: (versionId: string, commit: () => Promise<void>) => Promise<boolean>,
    options: { tagging?: string } = {},
  ): Promise<string | undefined> {
    return this.locked(bucket, key, async () => {
      const versions = await this.load(bucket, key);
      const latest = versions[0];
      const versionId = newVersionId();
      const previous = latest && !latest.deleteMarker ? latest : undefined;
      if (previous) await archiveVersion(this.backend, bucket, key, previous.versionId);
      let committed = false;
      const commit = async () => {
        if (committed) return;
        committed = true;
        if (options.tagging) await tagObject(this.backend, bucket, key, tagsFromQuery(options.tagging));
        const head = await this.backend.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
        versions.unshift({
          versionId,
          deleteMarker: false,
          lastModified: head.LastModified ?? new Date(),
          ...(head.ETag !== undefined && { etag: head.ETag }),
          ...(head.ContentLength !== undefined && { size: head.ContentLength }),
        });
      };
      this.pending.set(id(bucket, key), versionId);
      let ok = false;
      try {
        ok = await perform(versionId, commit);
        if (ok) await commit();
      } finally {
        this.pending.delete(id(bucket, key));
        if (!ok && previous) await this.unarchive(bucket, key, previous.versionId);
      }
      return ok ? versionId : undefined;
    });
  }

  /**
   * DeleteObject: without `versionId` a delete marker becomes the latest version (the object's bytes
   * are kept as a noncurrent version); with one, exactly that version or marker is removed for good,
   * and the next newest version becomes current again.
   */
  delete(bucket: string, key: string, versionId?: string): Promise<DeleteOutcome> {
    return this.locked(bucket, key, async () => {
      const versions = await this.load(bucket, key);
      if (versionId === undefined) {
        const latest = versions[0];
        if (latest && !latest.deleteMarker) {
          await archiveVersion(this.backend, bucket, key, latest.versionId);
          await this.backend.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
        }
        const marker: ObjectVersion = {
          versionId: newVersionId(),
          deleteMarker: true,
          lastModified: new Date(),
        };
        versions.unshift(marker);
        this.announce('ObjectRemoved:DeleteMarkerCreated', bucket, key, marker.versionId);
        return { key, deleteMarker: true, deleteMarkerVersionId: marker.versionId };
      }
      const index = versions.findIndex((v) => v.versionId === versionId);
      const removed = versions[index];
      // Deleting a version that is not there succeeds, as it does in S3.
      if (!removed) return { key, versionId, deleteMarker: false };
      if (!removed.deleteMarker) {
        if (index === 0) {
          await tagObject(this.backend, bucket, key, []);
          await this.backend.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
        } else {
          await this.backend.send(
            new DeleteObjectCommand({ Bucket: ARCHIVE_BUCKET, Key: archiveKey(bucket, versionId) }),
          );
        }
      }
      versions.splice(index, 1);
      const next = versions[0];
      if (index === 0 && next && !next.deleteMarker) await this.unarchive(bucket, key, next.versionId);
      if (versions.length === 0) this.versions.delete(id(bucket, key));
      this.announce('ObjectRemoved:Delete', bucket, key, versionId);
      return {
        key,
        versionId,
        deleteMarker: removed.deleteMarker,
        ...(removed.deleteMarker && { deleteMarkerVersionId: versionId }),
      };
    });
  }

  /** Where a read of `bucket/key` (of `versionId`, or the latest) finds its bytes. */
  async locate(bucket: string, key: string, versionId?: string): Promise<VersionLocation> {
    const versions = await this.load(bucket, key);
    const latest = versions[0];
    if (versionId === undefined) {
      if (latest?.deleteMarker) return { kind: 'delete-marker', version: latest };
      return latest ? { kind: 'current', version: latest } : { kind: 'current' };
    }
    const index = versions.findIndex((v) => v.versionId === versionId);
    const version = versions[index];
    if (!version) return { kind: 'no-such-version' };
    if (version.deleteMarker) return { kind: 'delete-marker', version };
    if (index === 0) return { kind: 'current', version };
    return { kind: 'archived', version, archiveKey: archiveKey(bucket, versionId) };
  }

  /**
   * ListObjectVersions without a delimiter: keys in UTF-8 order, each key's versions newest first,
   * starting after (`keyMarker`, `versionIdMarker`), at most `maxKeys` entries.
   */
  list(
    bucket: string,
    options: { prefix?: string; keyMarker?: string; versionIdMarker?: string; maxKeys: number },
  ): VersionListing {
    const prefix = options.prefix ?? '';
    const keys = [...this.versions.keys()]
      .filter((entry) => entry.startsWith(`${bucket}/`))
      .map((entry) => entry.slice(bucket.length + 1))
      .filter((key) => key.startsWith(prefix))
      .sort(compareKeys);
    const entries: (ObjectVersion & { key: string; isLatest: boolean })[] = [];
    let isTruncated = false;
    for (const key of keys) {
      if (options.keyMarker !== undefined) {
        const order = compareKeys(key, options.keyMarker);
        if (order < 0 || (order === 0 && options.versionIdMarker === undefined)) continue;
      }
      const versions = this.versions.get(id(bucket, key)) ?? [];
      let start = 0;
      if (options.keyMarker === key && options.versionIdMarker !== undefined) {
        start = versions.findIndex((v) => v.versionId === options.versionIdMarker) + 1;
        if (start === 0) continue;
      }
      for (let i = start; i < versions.length; i++) {
        if (entries.length === options.maxKeys) {
          isTruncated = true;
          break;
        }
        entries.push({ ...(versions[i] as ObjectVersion), key, isLatest: i === 0 });
      }
      if (isTruncated) break;
    }
    const last = entries.at(-1);
    return {
      entries,
      isTruncated,
      ...(isTruncated && last && { nextKeyMarker: last.key, nextVersionIdMarker: last.versionId }),
    };
  }

  private async locked<T>(bucket: string, key: string, work: () => Promise<T>): Promise<T> {
    const name = id(bucket, key);
    const before = this.locks.get(name) ?? Promise.resolve();
    const run = before.then(work, work);
    const settled = run.catch(() => undefined);
    this.locks.set(name, settled);
    try {
      return await run;
    } finally {
      if (this.locks.get(name) === settled) this.locks.delete(name);
    }
  }

  /** The versions of a key; an object written before versioning was enabled is its `null` version. */
  private async load(bucket: string, key: string): Promise<ObjectVersion[]> {
    const name = id(bucket, key);
    let versions = this.versions.get(name);
    if (!versions) {
      versions = [];
      const head = await this.backend
        .send(new HeadObjectCommand({ Bucket: bucket, Key: key }))
        .catch(() => undefined);
      if (head && !this.versions.has(name)) {
        versions.push({
          versionId: 'null',
          deleteMarker: false,
          lastModified: head.LastModified ?? new Date(),
          ...(head.ETag !== undefined && { etag: head.ETag }),
          ...(head.ContentLength !== undefined && { size: head.ContentLength }),
        });
      }
      versions = this.versions.get(name) ?? versions;
      this.versions.set(name, versions);
    }
    return versions;
  }

  private unarchive(bucket: string, key: string, versionId: string): Promise<void> {
    return unarchiveVersion(this.backend, bucket, key, versionId, async (copy) => {
      this.suppressed.add(id(bucket, key));
      try {
        await copy();
      } finally {
        this.suppressed.delete(id(bucket, key));
      }
    });
  }
}

function id(bucket: string, key: string): string {
  return `${bucket}/${key}`;
}

/** A fresh version id: 32 URL-safe characters, like S3's. */
function newVersionId(): string {
  return randomBytes(24).toString('base64url');
}
