import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  type QueryCommandInput,
  UpdateCommand,
  type UpdateCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type { TranscoderBackend } from '#shared/transcoder';
import { PRIMARY_RENDITION, RENDITIONS, type Rendition, type VideoStatus } from '#shared/video';
import { decodeCursor, encodeCursor, type IndexKey } from './cursor.ts';
import { ATTR, dropUndefined, toVideo, type VideoItem } from './item.ts';
import type { PageRequest, VideoRepository, VideoSource } from './repository.ts';
import { VIDEO_TABLE_SCHEMA, type VideoIndexName } from './schema.ts';
import type { MediaMetadata, VideoPage } from './types.ts';

/**
 * Age after which a claim without a job is abandoned: twice Lambda's longest timeout (15 min), so no
 * running invocation can still hold it.
 */
export const STALE_CLAIM_MS = 30 * 60 * 1000;

/** Largest page `listByStatus`/`listByOwner` return. */
export const MAX_PAGE_LIMIT = 1000;

/** Placeholders for every attribute name, so reserved words (`status`, `source`, `public`) never clash. */
const N = Object.fromEntries(Object.keys(ATTR).map((name) => [`#${name}`, name])) as Record<
  `#${keyof typeof ATTR}`,
  string
>;

type Names = Record<string, string>;
type Values = Record<string, unknown>;

/**
 * The {@link VideoRepository} on DynamoDB. Every write is one conditional Put or Update, so the
 * table itself arbitrates between events arriving in any order or twice: a failed condition
 * (`ConditionalCheckFailedException`) returns false, any other error is rethrown for Lambda to retry.
 *
 * Fact writers (`recordRendition`, `recordPublic`, `recordProbe`, `recordJobCompleted`) return true
 * whenever the video is TRANSCODING, repeats included, so a retried invocation still goes on to
 * `tryMarkReady`; they return false once the video is terminal.
 */
export class DynamoVideoRepository implements VideoRepository {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  recordUpload(input: {
    videoId: string;
    ownerId: string;
    source: VideoSource;
    now: Date;
  }): Promise<boolean> {
    const now = input.now.toISOString();
    const item: VideoItem = {
      videoId: input.videoId,
      status: 'UPLOADED',
      createdAt: now,
      updatedAt: now,
      ownerId: input.ownerId,
      source: sourceItem(input.source),
      jobComplete: false,
    };
    return this.conditional(
      new PutCommand({
        TableName: this.tableName,
        Item: item,
        ConditionExpression: 'attribute_not_exists(#videoId)',
        ExpressionAttributeNames: { '#videoId': ATTR.videoId },
      }),
    );
  }

  recordRejected(input: {
    videoId: string;
    source: VideoSource;
    errorCode: string;
    reason: string;
    now: Date;
  }): Promise<boolean> {
    return this.update(input.videoId, {
      UpdateExpression:
        'SET #status = :rejected, #source = if_not_exists(#source, :source), #errorCode = :errorCode, #reason = :reason, ' +
        '#createdAt = if_not_exists(#createdAt, :now), #updatedAt = :now, #jobComplete = if_not_exists(#jobComplete, :false)',
      ConditionExpression: 'attribute_not_exists(#videoId) OR #status = :uploaded',
      names: [
        '#status',
        '#source',
        '#errorCode',
        '#reason',
        '#createdAt',
        '#updatedAt',
        '#jobComplete',
        '#videoId',
      ],
      values: {
        ':rejected': 'REJECTED',
        ':uploaded': 'UPLOADED',
        ':source': sourceItem(input.source),
        ':errorCode': input.errorCode,
        ':reason': input.reason,
        ':now': input.now.toISOString(),
        ':false': false,
      },
    });
  }

  claim(input: {
    videoId: string;
    source: VideoSource;
    transcoder: TranscoderBackend;
    now: Date;
  }): Promise<boolean> {
    // The empty maps let fact writers `SET renditions.#r = :v` (a nested SET needs its parent map).
    // An API upload's source is kept: it holds the user's original filename, the key only a safe one.
    return this.update(input.videoId, {
      UpdateExpression:
        'SET #status = :transcoding, #source = if_not_exists(#source, :source), #transcoder = :transcoder, ' +
        '#createdAt = if_not_exists(#createdAt, :now), #updatedAt = :now, #jobComplete = :false, #progress = :zero, ' +
        '#renditions = if_not_exists(#renditions, :empty), #public = if_not_exists(#public, :empty), ' +
        '#probes = if_not_exists(#probes, :empty), #claimedAt = :now',
      // A claim with no job that is older than any invocation can run belongs to an invocation that
      // died between claim and CreateJob: a redrive from the dead-letter queue may claim it again.
      ConditionExpression:
        'attribute_not_exists(#videoId) OR #status = :uploaded OR ' +
        '(#status = :transcoding AND attribute_not_exists(#jobId) AND #claimedAt < :staleBefore)',
      names: [
        '#status',
        '#source',
        '#transcoder',
        '#createdAt',
        '#updatedAt',
        '#jobComplete',
        '#progress',
        '#renditions',
        '#public',
        '#probes',
        '#claimedAt',
        '#videoId',
        '#jobId',
      ],
      values: {
        ':transcoding': 'TRANSCODING',
        ':uploaded': 'UPLOADED',
        ':source': sourceItem(input.source),
        ':transcoder': input.transcoder,
        ':now': input.now.toISOString(),
        ':false': false,
        ':zero': 0,
        ':empty': {},
        ':staleBefore': new Date(input.now.getTime() - STALE_CLAIM_MS).toISOString(),
      },
    });
  }

  releaseClaim(videoId: string): Promise<boolean> {
    return this.update(videoId, {
      UpdateExpression: 'SET #status = :uploaded REMOVE #transcoder, #progress, #claimedAt',
      ConditionExpression: '#status = :transcoding AND attribute_not_exists(#jobId)',
      names: ['#status', '#transcoder', '#progress', '#claimedAt', '#jobId'],
      values: { ':uploaded': 'UPLOADED', ':transcoding': 'TRANSCODING' },
    });
  }

  recordJobStarted(videoId: string, jobId: string, now: Date): Promise<boolean> {
    // Any claimed status: a fast job may already have completed (even to READY) before its id is stored.
    return this.update(videoId, {
      UpdateExpression: 'SET #jobId = :jobId, #updatedAt = :now',
      ConditionExpression:
        '#status IN (:transcoding, :ready, :failed) AND (attribute_not_exists(#jobId) OR #jobId = :jobId)',
      names: ['#jobId', '#updatedAt', '#status'],
      values: {
        ':jobId': jobId,
        ':now': now.toISOString(),
        ':transcoding': 'TRANSCODING',
        ':ready': 'READY',
        ':failed': 'FAILED',
      },
    });
  }

  recordProgress(videoId: string, percent: number, now: Date): Promise<boolean> {
    if (!Number.isFinite(percent))
      throw new RangeError(`Progress must be a number from 0 to 100, got ${percent}.`);
    const clamped = Math.min(100, Math.max(0, Math.round(percent)));
    return this.update(videoId, {
      UpdateExpression: 'SET #progress = :percent, #updatedAt = :now',
      ConditionExpression:
        '#status = :transcoding AND (attribute_not_exists(#progress) OR #progress <= :percent)',
      names: ['#progress', '#updatedAt', '#status'],
      values: { ':percent': clamped, ':now': now.toISOString(), ':transcoding': 'TRANSCODING' },
    });
  }

  recordJobCompleted(
    videoId: string,
    details: { posterKey?: string; jobId?: string },
    now: Date,
  ): Promise<boolean> {
    const poster = details.posterKey !== undefined;
    const job = jobGuard(details.jobId);
    return this.update(videoId, {
      UpdateExpression: `SET #jobComplete = :true, #progress = :hundred, #updatedAt = :now${poster ? ', #poster = :poster' : ''}`,
      ConditionExpression: `#status = :transcoding${job.condition}`,
      names: [
        '#jobComplete',
        '#progress',
        '#updatedAt',
        ...(poster ? (['#poster'] as const) : []),
        '#status',
        ...job.names,
      ],
      values: {
        ':true': true,
        ':hundred': 100,
        ':now': now.toISOString(),
        ...(poster ? { ':poster': details.posterKey } : {}),
        ':transcoding': 'TRANSCODING',
        ...job.values,
      },
    });
  }

  recordFailed(
    videoId: string,
    failure: { errorCode: string; reason: string; jobId?: string },
    now: Date,
  ): Promise<boolean> {
    const job = jobGuard(failure.jobId);
    return this.update(videoId, {
      UpdateExpression:
        'SET #status = :failed, #errorCode = :errorCode, #reason = :reason, #updatedAt = :now',
      ConditionExpression: `#status IN (:uploaded, :transcoding)${job.condition}`,
      names: ['#status', '#errorCode', '#reason', '#updatedAt', ...job.names],
      values: {
        ':failed': 'FAILED',
        ':errorCode': failure.errorCode,
        ':reason': failure.reason,
        ':now': now.toISOString(),
        ':uploaded': 'UPLOADED',
        ':transcoding': 'TRANSCODING',
        ...job.values,
      },
    });
  }

  recordRendition(videoId: string, rendition: Rendition, key: string, now: Date): Promise<boolean> {
    return this.recordFact(videoId, '#renditions', rendition, { key }, now);
  }

  recordPublic(videoId: string, rendition: Rendition, now: Date): Promise<boolean> {
    return this.recordFact(videoId, '#public', rendition, true, now);
  }

  recordProbe(videoId: string, rendition: Rendition, metadata: MediaMetadata, now: Date): Promise<boolean> {
    const value = dropUndefined({ ...metadata });
    const primary = rendition === PRIMARY_RENDITION;
    return this.update(videoId, {
      UpdateExpression: `SET #probes.#rendition = :value, #updatedAt = :now${primary ? ', #metadata = :value' : ''}`,
      ConditionExpression: '#status = :transcoding',
      names: ['#probes', '#updatedAt', ...(primary ? (['#metadata'] as const) : []), '#status'],
      extraNames: { '#rendition': rendition },
      values: { ':value': value, ':now': now.toISOString(), ':transcoding': 'TRANSCODING' },
    });
  }

  tryMarkReady(videoId: string, now: Date): Promise<boolean> {
    const renditionNames = Object.fromEntries(RENDITIONS.map((r, i) => [`#r${i}`, r]));
    const facts = RENDITIONS.flatMap((_, i) => [
      `attribute_exists(#renditions.#r${i})`,
      `attribute_exists(#public.#r${i})`,
      `attribute_exists(#probes.#r${i})`,
    ]);
    return this.update(videoId, {
      UpdateExpression: 'SET #status = :ready, #progress = :hundred, #updatedAt = :now',
      ConditionExpression: ['#status = :transcoding', '#jobComplete = :true', ...facts].join(' AND '),
      names: ['#status', '#progress', '#updatedAt', '#jobComplete', '#renditions', '#public', '#probes'],
      extraNames: renditionNames,
      values: {
        ':ready': 'READY',
        ':hundred': 100,
        ':now': now.toISOString(),
        ':transcoding': 'TRANSCODING',
        ':true': true,
      },
    });
  }

  async get(videoId: string) {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: { videoId }, ConsistentRead: true }),
    );
    return Item ? toVideo(Item) : undefined;
  }

  listByStatus(status: VideoStatus, page: PageRequest): Promise<VideoPage> {
    return this.query('byStatus', status, page);
  }

  listByOwner(ownerId: string, page: PageRequest): Promise<VideoPage> {
    return this.query('byOwner', ownerId, page);
  }

  private async query(indexName: VideoIndexName, partition: string, page: PageRequest): Promise<VideoPage> {
    if (!Number.isSafeInteger(page.limit) || page.limit < 1 || page.limit > MAX_PAGE_LIMIT) {
      throw new RangeError(`Page limit must be an integer from 1 to ${MAX_PAGE_LIMIT}, got ${page.limit}.`);
    }
    const index = VIDEO_TABLE_SCHEMA.indexes[indexName];
    const keyAttributes = [VIDEO_TABLE_SCHEMA.partitionKey, index.partitionKey, index.sortKey];
    const start =
      page.cursor === undefined
        ? undefined
        : decodeCursor(page.cursor, keyAttributes, { [index.partitionKey]: partition });
    // One extra item tells whether a next page exists, so the last page never carries a cursor to an empty one.
    const input: QueryCommandInput = {
      TableName: this.tableName,
      IndexName: indexName,
      KeyConditionExpression: '#pk = :pk',
      ExpressionAttributeNames: { '#pk': index.partitionKey },
      ExpressionAttributeValues: { ':pk': partition },
      ScanIndexForward: false,
      Limit: page.limit + 1,
      ...(start ? { ExclusiveStartKey: start } : {}),
    };
    const { Items = [], LastEvaluatedKey } = await this.client.send(new QueryCommand(input));
    const items = Items.slice(0, page.limit);
    let next: IndexKey | undefined;
    const last = items.at(-1);
    if (Items.length > page.limit && last) {
      next = Object.fromEntries(keyAttributes.map((name) => [name, String(last[name])]));
    } else if (LastEvaluatedKey) {
      // DynamoDB stopped early (1 MB per page): more may follow even though the page is short.
      next = LastEvaluatedKey as IndexKey;
    }
    return { items: items.map(toVideo), ...(next ? { cursor: encodeCursor(next) } : {}) };
  }

  private recordFact(
    videoId: string,
    map: '#renditions' | '#public' | '#probes',
    rendition: Rendition,
    value: unknown,
    now: Date,
  ): Promise<boolean> {
    return this.update(videoId, {
      UpdateExpression: `SET ${map}.#rendition = :value, #updatedAt = :now`,
      ConditionExpression: '#status = :transcoding',
      names: [map, '#updatedAt', '#status'],
      extraNames: { '#rendition': rendition },
      values: { ':value': value, ':now': now.toISOString(), ':transcoding': 'TRANSCODING' },
    });
  }

  private update(
    videoId: string,
    spec: {
      UpdateExpression: string;
      ConditionExpression: string;
      names: readonly (keyof typeof N)[];
      extraNames?: Names;
      values: Values;
    },
  ): Promise<boolean> {
    const names: Names = {};
    for (const placeholder of spec.names) names[placeholder] = N[placeholder];
    const input: UpdateCommandInput = {
      TableName: this.tableName,
      Key: { videoId },
      UpdateExpression: spec.UpdateExpression,
      ConditionExpression: spec.ConditionExpression,
      ExpressionAttributeNames: { ...names, ...spec.extraNames },
      ExpressionAttributeValues: spec.values,
    };
    return this.conditional(new UpdateCommand(input));
  }

  private async conditional(command: PutCommand | UpdateCommand): Promise<boolean> {
    try {
      // Both command types go through the same client; the cast spares an overload per command.
      await this.client.send(command as UpdateCommand);
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  }
}

function isConditionalCheckFailed(error: unknown): boolean {
  return (
    error instanceof ConditionalCheckFailedException ||
    (error instanceof Error && error.name === 'ConditionalCheckFailedException')
  );
}

/**
 * The extra condition for a job-state write: the job must be the video's recorded job (or none is
 * recorded yet, when a fast job reports before its id is stored), so a stray job's late state cannot
 * complete or fail the video.
 */
function jobGuard(jobId: string | undefined): {
  condition: string;
  names: readonly (keyof typeof N)[];
  values: Values;
} {
  if (jobId === undefined) return { condition: '', names: [], values: {} };
  return {
    condition: ' AND (attribute_not_exists(#jobId) OR #jobId = :jobId)',
    names: ['#jobId'],
    values: { ':jobId': jobId },
  };
}

function sourceItem(source: VideoSource): VideoItem['source'] {
  return dropUndefined({
    bucket: source.bucket,
    key: source.key,
    filename: source.filename,
    size: source.size,
  });
}
