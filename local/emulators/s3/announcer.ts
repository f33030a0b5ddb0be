import type { EventEmitter } from 'node:events';
import { HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { ARCHIVE_BUCKET } from './archive.ts';
import type { S3rverInstance } from './backend.ts';
import { keyFromStorage } from './keys.ts';
import {
  configMatches,
  type NotificationConfig,
  s3EventBridgeEntry,
  s3EventRecord,
  sequencerSource,
} from './notifications.ts';
import type { VersionStore } from './versions.ts';

/** Announces an S3 event of a key (and its version); returns at once. */
export type QueueAnnouncement = (eventName: string, bucket: string, key: string, versionId?: string) => void;

/** The buckets' notification configurations and the announcements under way. */
export interface Announcer {
  readonly configs: Map<string, readonly NotificationConfig[]>;
  /** Buckets whose notification has `eventbridge = true`. */
  readonly toEventBridge: Set<string>;
  readonly announce: QueueAnnouncement;
  /** Resolves once every announcement so far has been made (or failed). */
  whenAnnounced(): Promise<void>;
  /** Resolves once the announcements under way now have been made. */
  settle(): Promise<void>;
}

/**
 * Announces S3 events as S3 sends them: a `notification` ({ target, event }) on `notifications` for
 * every configuration of the bucket that selects it, an `eventbridge` entry for every object created
 * in a bucket with EventBridge on, and `error` when one could not be made.
 */
export function createAnnouncer(context: {
  /** A client straight to s3rver, to describe the object. */
  backend: S3Client;
  notifications: EventEmitter;
  region: string;
  /** The account S3 names as requester in EventBridge events. */
  requester: string;
}): Announcer {
  const { backend, notifications } = context;
  const configs = new Map<string, readonly NotificationConfig[]>();
  const toEventBridge = new Set<string>();
  const nextSequencer = sequencerSource();
  const announced = new Set<Promise<void>>();

  const announce = async (
    eventName: string,
    bucket: string,
    key: string,
    versionId?: string,
  ): Promise<void> => {
    const wanted = (configs.get(bucket) ?? []).filter((c) => configMatches(c, eventName, key));
    const bridged = toEventBridge.has(bucket) && eventName.startsWith('ObjectCreated:');
    if (wanted.length === 0 && !bridged) return;
    // A removal has no object left to describe: S3 sends neither size nor eTag for it.
    const head = eventName.startsWith('ObjectRemoved:')
      ? undefined
      : await backend.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    const sequencer = nextSequencer();
    const time = new Date();
    const object = {
      bucket,
      key,
      size: head?.ContentLength ?? 0,
      eTag: head?.ETag?.replace(/"/g, ''),
      ...(versionId && { versionId }),
    };
    for (const config of wanted) {
      const record = s3EventRecord(object, {
        eventName,
        configurationId: config.id,
        region: context.region,
        sequencer,
        time,
      });
      notifications.emit('notification', { target: config.target, event: { Records: [record] } });
    }
    // S3 sends every event of the bucket to EventBridge, whatever the notification filters select.
    const entry = bridged
      ? s3EventBridgeEntry(object, { eventName, sequencer, requester: context.requester, time })
      : undefined;
    if (entry) notifications.emit('eventbridge', entry);
  };
  const queueAnnouncement = (eventName: string, bucket: string, key: string, versionId?: string): void => {
    const delivery = announce(eventName, bucket, key, versionId).catch((error: unknown) => {
      notifications.emit('error', error);
    });
    announced.add(delivery);
    void delivery.finally(() => announced.delete(delivery));
  };

  return {
    configs,
    toEventBridge,
    announce: queueAnnouncement,
    async whenAnnounced() {
      while (announced.size > 0) await Promise.allSettled([...announced]);
    },
    async settle() {
      await Promise.allSettled([...announced]);
    },
  };
}

/**
 * Announces what s3rver reports: every write and delete of a client, under S3's event names (a browser
 * POST is `Post`, a completed multipart upload `CompleteMultipartUpload`), with the version it made.
 */
export function announceBackendEvents(
  backend: S3rverInstance,
  context: {
    versions: VersionStore;
    /** Keys written by a browser POST: s3rver stores them with a PUT, S3 names the event Post. */
    postedKeys: Set<string>;
    announce: QueueAnnouncement;
  },
): void {
  const { versions, postedKeys } = context;
  const queueAnnouncement = context.announce;
  backend.on(
    'event',
    (event: {
      Records: { eventName: string; s3: { bucket: { name: string }; object: { key: string } } }[];
    }) => {
      for (const record of event.Records) {
        const bucket = record.s3.bucket.name;
        const key = keyFromStorage(record.s3.object.key);
        if (bucket === ARCHIVE_BUCKET) continue;
        const posted = postedKeys.delete(`${bucket}/${key}`);
        let versionId: string | undefined;
        if (versions.isVersioned(bucket)) {
          // The version store announces removals itself; its own copies are bookkeeping, not writes.
          if (record.eventName.startsWith('ObjectRemoved') || versions.consumeSuppressed(bucket, key))
            continue;
          versionId = versions.pendingVersion(bucket, key);
        }
        // s3rver names a completed multipart upload "Post"; S3 calls it CompleteMultipartUpload.
        const eventName =
          record.eventName === 'ObjectCreated:Post' && !posted
            ? 'ObjectCreated:CompleteMultipartUpload'
            : posted
              ? 'ObjectCreated:Post'
              : record.eventName;
        queueAnnouncement(eventName, bucket, key, versionId);
      }
    },
  );
}
