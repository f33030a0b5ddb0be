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
import {
  DEFAULT_VISIBILITY,
  type DetailsPatch,
  normalizeLadder,
  RENDITIONS,
  type Rendition,
  type VideoStatus,
  type Visibility,
} from '#shared/video';
import { decodeCursor, encodeCursor, type IndexKey } from './cursor.ts';
import { ATTR, dropUndefined, readLadder, toVideo, type VideoItem } from './item.ts';
import type { Claim, ClaimHolder, PageRequest, VideoRepository, VideoSource } from './repository.ts';
import { VIDEO_TABLE_SCHEMA, type VideoIndexName } from './schema.ts';
import {
  type AppliedPermission,
  type MediaMetadata,
  POSTER_TARGET,
  type PermissionTarget,
  type Video,
  type VideoPage,
} from './types.ts';

/**
 * Age after which a claim without a job and without a lease (an item claimed before claims had
 * leases) is abandoned: twice Lambda's longest timeout (15 min), so no running invocation can still hold it.
 */
export const STALE_CLAIM_MS = 30 * 60 * 1000;

/** Largest page `listByStatus`/`listCatalogue`/`listByOwner` return. */
export const MAX_PAGE_LIMIT = 1000;

/**
 * Queries one filtered page may take. Past them the page is returned short with a cursor, so a
 * partition full of filtered-out items (private videos, tombstones) cannot make one request unbounded.
 */
export const MAX_FILTERED_QUERIES = 10;

/**
 * A rendition fact (`:rendition`) belongs to the item's ladder; items without one (claimed before
 * ladders) take every rendition.
 */
const IN_LADDER = '(attribute_not_exists(#expectedRenditions) OR contains(#expectedRenditions, :rendition))';

/** Placeholders for every attribute name, so reserved words (`status`, `source`, `public`) never clash. */
const N = Object.fromEntries(Object.keys(ATTR).map((name) => [`#${name}`, name])) as Record<
  `#${keyof typeof ATTR}`,
  string
>;

type Names = Record<string, string>;
type Values = Record<string, unknown>;

/** One conditional UpdateItem, with its attribute names as placeholders of {@link N}. */
interface UpdateSpec {
  UpdateExpression: string;
  ConditionExpression: string;
  names: readonly (keyof typeof N)[];
  extraNames?: Names;
  values: Values;
}

/**
 * The lease of a claim whose holder gave it up: earlier than any clock, so any invocation may take the
 * claim over at once (the holder's own retries still resume it by their token).
 */
const RELEASED_LEASE = '1970-01-01T00:00:00.000Z';

/**
 * The {@link VideoRepository} on DynamoDB. Every write is one conditional Put or Update, so the
 * table itself arbitrates between events arriving in any order or twice: a failed condition
 * (`ConditionalCheckFailedException`) returns false, any other error is rethrown for Lambda to retry.
 *
 * Fact writers (`recordRendition`, `recordProbe`, `recordJobCompleted`) return true whenever the
 * video is TRANSCODING, repeats included, so a retried invocation still goes on to `tryMarkReady`;
 * they return false once the video is terminal. `recordPermission` holds while the visibility it
 * applied is the video's, in any status but DELETED. A DELETED tombstone refuses every pipeline write.
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
    visibility: Visibility;
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
      visibility: input.visibility,
      jobComplete: false,
      permissions: {},
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

  async claim(input: {
    videoId: string;
    source: VideoSource;
    transcoder: TranscoderBackend;
    now: Date;
    holder: ClaimHolder;
  }): Promise<Claim | undefined> {
    // The empty maps let fact writers `SET renditions.#r = :v` (a nested SET needs its parent map).
    // An API upload's source and visibility are kept: the source holds the user's original filename,
    // the key only a safe one. Uploads that did not come through the API are public.
    const old = await this.updateReturningOld(input.videoId, {
      UpdateExpression:
        'SET #status = :transcoding, #source = if_not_exists(#source, :source), #transcoder = :transcoder, ' +
        '#createdAt = if_not_exists(#createdAt, :now), #updatedAt = :now, #jobComplete = :false, #progress = :zero, ' +
        '#visibility = if_not_exists(#visibility, :visibility), ' +
        '#renditions = if_not_exists(#renditions, :empty), #permissions = if_not_exists(#permissions, :empty), ' +
        '#probes = if_not_exists(#probes, :empty), #claimedAt = :now, #claimToken = :token, #leaseUntil = :lease, ' +
        '#jobAttempt = if_not_exists(#jobAttempt, :one)',
      // A claim with no job goes back to its own invocation (a retry of the same event), or to anyone
      // once its invocation can no longer be running (lease ended; claims older than leases: STALE_CLAIM_MS).
      ConditionExpression:
        'attribute_not_exists(#videoId) OR #status = :uploaded OR ' +
        '(#status = :transcoding AND attribute_not_exists(#jobId) AND (#claimToken = :token OR #leaseUntil < :now OR ' +
        '(attribute_not_exists(#leaseUntil) AND #claimedAt < :staleBefore)))',
      names: [
        '#status',
        '#source',
        '#transcoder',
        '#createdAt',
        '#updatedAt',
        '#jobComplete',
        '#progress',
        '#visibility',
        '#renditions',
        '#permissions',
        '#probes',
        '#claimedAt',
        '#claimToken',
        '#leaseUntil',
        '#jobAttempt',
        '#videoId',
        '#jobId',
      ],
      values: {
        ':transcoding': 'TRANSCODING',
        ':uploaded': 'UPLOADED',
        ':source': sourceItem(input.source),
        ':transcoder': input.transcoder,
        ':visibility': DEFAULT_VISIBILITY,
        ':now': input.now.toISOString(),
        ':false': false,
        ':zero': 0,
        ':one': 1,
        ':empty': {},
        ':token': input.holder.token,
        ':lease': input.holder.leaseUntil.toISOString(),
        ':staleBefore': new Date(input.now.getTime() - STALE_CLAIM_MS).toISOString(),
      },
    });
    if (old === false) return undefined;
    const previous = old as Partial<VideoItem> | undefined;
    const attempt = typeof previous?.jobAttempt === 'number' ? previous.jobAttempt : 1;
    if (!previous || previous.status === 'UPLOADED') return { kind: 'new', attempt };
    const renditions = readLadder(previous.expectedRenditions);
    return {
      kind: previous.claimToken === input.holder.token ? 'resumed' : 'taken-over',
      attempt,
      ...(renditions && { renditions }),
    };
  }

  releaseLease(videoId: string, token: string): Promise<boolean> {
    return this.update(videoId, {
      UpdateExpression: 'SET #leaseUntil = :released',
      ConditionExpression: '#status = :transcoding AND attribute_not_exists(#jobId) AND #claimToken = :token',
      names: ['#leaseUntil', '#status', '#jobId', '#claimToken'],
      values: { ':released': RELEASED_LEASE, ':transcoding': 'TRANSCODING', ':token': token },
    });
  }

  async retryJob(input: {
    videoId: string;
    failedJobId: string;
    holder: ClaimHolder;
    maxAttempts: number;
    now: Date;
  }): Promise<Claim | undefined> {
    const holder = {
      ':token': input.holder.token,
      ':lease': input.holder.leaseUntil.toISOString(),
      ':now': input.now.toISOString(),
      ':transcoding': 'TRANSCODING',
    };
    const replaced = await this.updateReturningNew(input.videoId, {
      UpdateExpression:
        'SET #jobAttempt = if_not_exists(#jobAttempt, :one) + :one, ' +
        '#retiredJobIds = list_append(if_not_exists(#retiredJobIds, :none), :failedList), ' +
        '#claimToken = :token, #leaseUntil = :lease, #claimedAt = :now, #updatedAt = :now, ' +
        '#jobComplete = :false, #progress = :zero REMOVE #jobId',
      ConditionExpression:
        '#status = :transcoding AND #jobId = :failed AND (attribute_not_exists(#jobAttempt) OR #jobAttempt < :max)',
      names: [
        '#jobAttempt',
        '#retiredJobIds',
        '#claimToken',
        '#leaseUntil',
        '#claimedAt',
        '#updatedAt',
        '#jobComplete',
        '#progress',
        '#jobId',
        '#status',
      ],
      values: {
        ...holder,
        ':one': 1,
        ':none': [],
        ':failedList': [input.failedJobId],
        ':failed': input.failedJobId,
        ':false': false,
        ':zero': 0,
        ':max': input.maxAttempts,
      },
    });
    if (replaced) return { kind: 'new', ...claimOf(replaced) };
    // The same invocation retried after replacing the job but before starting the next one.
    const resumed = await this.updateReturningNew(input.videoId, {
      UpdateExpression: 'SET #leaseUntil = :lease, #updatedAt = :now',
      ConditionExpression:
        '#status = :transcoding AND attribute_not_exists(#jobId) AND #claimToken = :token AND contains(#retiredJobIds, :failed)',
      names: ['#leaseUntil', '#updatedAt', '#status', '#jobId', '#claimToken', '#retiredJobIds'],
      values: { ...holder, ':failed': input.failedJobId },
    });
    return resumed ? { kind: 'resumed', ...claimOf(resumed) } : undefined;
  }

  async recordLadder(
    videoId: string,
    token: string,
    renditions: readonly Rendition[],
    now: Date,
  ): Promise<readonly Rendition[] | undefined> {
    const recorded = await this.updateReturningNew(videoId, {
      UpdateExpression:
        'SET #expectedRenditions = if_not_exists(#expectedRenditions, :ladder), #updatedAt = :now',
      ConditionExpression: '#status = :transcoding AND attribute_not_exists(#jobId) AND #claimToken = :token',
      names: ['#expectedRenditions', '#updatedAt', '#status', '#jobId', '#claimToken'],
      values: {
        ':ladder': [...normalizeLadder(renditions)],
        ':now': now.toISOString(),
        ':transcoding': 'TRANSCODING',
        ':token': token,
      },
    });
    return recorded ? readLadder(recorded.expectedRenditions) : undefined;
  }

  recordJobStarted(videoId: string, jobId: string, now: Date): Promise<boolean> {
    // Any claimed status: a fast job may already have completed (even to READY) before its id is stored.
    const job = jobGuard(jobId);
    return this.update(videoId, {
      UpdateExpression: 'SET #jobId = :jobId, #updatedAt = :now',
      ConditionExpression: `#status IN (:transcoding, :ready, :failed)${job.condition}`,
      names: ['#updatedAt', '#status', ...job.names],
      values: {
        ':now': now.toISOString(),
        ':transcoding': 'TRANSCODING',
        ':ready': 'READY',
        ':failed': 'FAILED',
        ...job.values,
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
    return this.update(videoId, {
      UpdateExpression: 'SET #renditions.#rendition = :value, #updatedAt = :now',
      ConditionExpression: `#status = :transcoding AND ${IN_LADDER}`,
      names: ['#renditions', '#updatedAt', '#status', '#expectedRenditions'],
      extraNames: { '#rendition': rendition },
      values: {
        ':value': { key },
        ':now': now.toISOString(),
        ':transcoding': 'TRANSCODING',
        ':rendition': rendition,
      },
    });
  }

  recordPermission(
    videoId: string,
    target: PermissionTarget,
    applied: AppliedPermission,
    now: Date,
  ): Promise<boolean> {
    const rendition = target !== POSTER_TARGET;
    return this.update(videoId, {
      UpdateExpression: 'SET #permissions.#target = :applied, #updatedAt = :now',
      // A FAILED video's outputs stay untagged: the writer re-reads and withholds the tag it just set.
      ConditionExpression:
        'attribute_exists(#videoId) AND NOT (#status IN (:deleted, :failed)) AND #visibility = :visibility' +
        (rendition ? ` AND ${IN_LADDER}` : ''),
      names: [
        '#permissions',
        '#updatedAt',
        '#videoId',
        '#status',
        '#visibility',
        ...(rendition ? (['#expectedRenditions'] as const) : []),
      ],
      extraNames: { '#target': target },
      values: {
        ':applied': { key: applied.key, visibility: applied.visibility },
        ':now': now.toISOString(),
        ':deleted': 'DELETED',
        ':failed': 'FAILED',
        ':visibility': applied.visibility,
        ...(rendition && { ':rendition': target }),
      },
    });
  }

  recordProbe(
    videoId: string,
    rendition: Rendition,
    metadata: MediaMetadata,
    now: Date,
    options: { readonly highest: boolean },
  ): Promise<boolean> {
    const value = dropUndefined({ ...metadata });
    const { highest } = options;
    return this.update(videoId, {
      UpdateExpression: `SET #probes.#rendition = :value, #updatedAt = :now${highest ? ', #metadata = :value' : ''}`,
      ConditionExpression: `#status = :transcoding AND ${IN_LADDER}`,
      names: [
        '#probes',
        '#updatedAt',
        ...(highest ? (['#metadata'] as const) : []),
        '#status',
        '#expectedRenditions',
      ],
      extraNames: { '#rendition': rendition },
      values: {
        ':value': value,
        ':now': now.toISOString(),
        ':transcoding': 'TRANSCODING',
        ':rendition': rendition,
      },
    });
  }

  tryMarkReady(videoId: string, now: Date): Promise<boolean> {
    // One clause per rendition: outside the item's own ladder, or recorded, tagged and probed. The
    // ladder is a list on the item, and `contains` reads it inside the condition, so one write decides
    // against the item as it is, whichever ladder it has. An item without a ladder waits for all.
    // AND binds tighter than OR, so each clause needs no inner parentheses (which dynalite parses slowly).
    const facts = RENDITIONS.map(
      (_, i) =>
        `(attribute_exists(#expectedRenditions) AND NOT contains(#expectedRenditions, :r${i}) OR ` +
        `attribute_exists(#renditions.#r${i}) AND attribute_exists(#permissions.#r${i}) AND attribute_exists(#probes.#r${i}))`,
    );
    return this.update(videoId, {
      UpdateExpression: 'SET #status = :ready, #progress = :hundred, #updatedAt = :now',
      ConditionExpression: ['#status = :transcoding', '#jobComplete = :true', ...facts].join(' AND '),
      names: [
        '#status',
        '#progress',
        '#updatedAt',
        '#jobComplete',
        '#expectedRenditions',
        '#renditions',
        '#permissions',
        '#probes',
      ],
      extraNames: Object.fromEntries(RENDITIONS.map((r, i) => [`#r${i}`, r])),
      values: {
        ':ready': 'READY',
        ':hundred': 100,
        ':now': now.toISOString(),
        ':transcoding': 'TRANSCODING',
        ':true': true,
        ...Object.fromEntries(RENDITIONS.map((r, i) => [`:r${i}`, r])),
      },
    });
  }

  async updateDetails(input: {
    videoId: string;
    ownerId: string;
    patch: DetailsPatch;
    now: Date;
  }): Promise<Video | undefined> {
    const { patch } = input;
    const set = ['#updatedAt = :now'];
    const remove: string[] = [];
    const names: (keyof typeof N)[] = ['#updatedAt', '#ownerId', '#status'];
    const values: Values = {
      ':now': input.now.toISOString(),
      ':ownerId': input.ownerId,
      ':deleted': 'DELETED',
    };
    if (patch.title !== undefined) {
      set.push('#title = :title');
      names.push('#title');
      values[':title'] = patch.title;
    }
    if (patch.description !== undefined) {
      names.push('#description');
      if (patch.description === '') remove.push('#description');
      else {
        set.push('#description = :description');
        values[':description'] = patch.description;
      }
    }
    if (patch.visibility !== undefined) {
      set.push('#visibility = :visibility');
      names.push('#visibility');
      values[':visibility'] = patch.visibility;
    }
    const request: UpdateCommandInput = {
      TableName: this.tableName,
      Key: { videoId: input.videoId },
      UpdateExpression: `SET ${set.join(', ')}${remove.length > 0 ? ` REMOVE ${remove.join(', ')}` : ''}`,
      ConditionExpression: '#ownerId = :ownerId AND #status <> :deleted',
      ExpressionAttributeNames: namesOf(names),
      ExpressionAttributeValues: values,
      ReturnValues: 'ALL_NEW',
    };
    try {
      const { Attributes } = await this.client.send(new UpdateCommand(request));
      return Attributes ? toVideo(Attributes) : undefined;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return undefined;
      throw error;
    }
  }

  recordDeletion(input: {
    videoId: string;
    ownerId: string;
    now: Date;
    expiresAt: number;
  }): Promise<boolean> {
    // The owner's own words and the media facts go; what the purge and late events need stays.
    return this.update(input.videoId, {
      UpdateExpression:
        'SET #status = :deleted, #deletedAt = :now, #updatedAt = :now, #expiresAt = :expiresAt ' +
        'REMOVE #title, #description, #source.#filename, #metadata, #probes, #renditions, #permissions, ' +
        '#poster, #progress, #reason, #errorCode',
      ConditionExpression: '#ownerId = :ownerId AND #status <> :deleted',
      names: [
        '#status',
        '#deletedAt',
        '#updatedAt',
        '#expiresAt',
        '#title',
        '#description',
        '#source',
        '#metadata',
        '#probes',
        '#renditions',
        '#permissions',
        '#poster',
        '#progress',
        '#reason',
        '#errorCode',
        '#ownerId',
      ],
      extraNames: { '#filename': 'filename' },
      values: {
        ':deleted': 'DELETED',
        ':now': input.now.toISOString(),
        ':expiresAt': input.expiresAt,
        ':ownerId': input.ownerId,
      },
    });
  }

  markPurged(videoId: string, now: Date): Promise<boolean> {
    return this.update(videoId, {
      UpdateExpression: 'SET #purgedAt = :now',
      ConditionExpression: '#status = :deleted AND attribute_not_exists(#purgedAt)',
      names: ['#purgedAt', '#status'],
      values: { ':now': now.toISOString(), ':deleted': 'DELETED' },
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

  listCreatedBefore(status: VideoStatus, before: Date, page: PageRequest): Promise<VideoPage> {
    return this.query('byStatus', status, page, undefined, {
      before: before.toISOString(),
      oldestFirst: true,
    });
  }

  listUnpurgedTombstones(before: Date, page: PageRequest): Promise<VideoPage> {
    const deletedBefore = before.toISOString();
    // A tombstone is created before it is deleted, so the key condition on createdAt only narrows.
    return this.query(
      'byStatus',
      'DELETED',
      page,
      {
        expression: 'attribute_not_exists(#purgedAt) AND #deletedAt < :deletedBefore',
        names: { '#purgedAt': ATTR.purgedAt, '#deletedAt': ATTR.deletedAt },
        values: { ':deletedBefore': deletedBefore },
      },
      { before: deletedBefore, oldestFirst: true },
    );
  }

  listCatalogue(page: PageRequest): Promise<VideoPage> {
    return this.query('byStatus', 'READY', page, {
      expression: '#visibility = :public',
      names: { '#visibility': ATTR.visibility },
      values: { ':public': 'public' },
    });
  }

  listByOwner(ownerId: string, page: PageRequest): Promise<VideoPage> {
    return this.query('byOwner', ownerId, page, {
      expression: '#status <> :deleted',
      names: { '#status': ATTR.status },
      values: { ':deleted': 'DELETED' },
    });
  }

  private async query(
    indexName: VideoIndexName,
    partition: string,
    page: PageRequest,
    filter?: { expression: string; names: Names; values: Values },
    range: { before?: string; oldestFirst?: boolean } = {},
  ): Promise<VideoPage> {
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
    // A filter applies after DynamoDB's Limit, so a filtered page may need several queries.
    const found: Record<string, unknown>[] = [];
    let lastKey: Record<string, unknown> | undefined = start;
    for (let round = 0; round < (filter ? MAX_FILTERED_QUERIES : 1); round++) {
      const input: QueryCommandInput = {
        TableName: this.tableName,
        IndexName: indexName,
        KeyConditionExpression: range.before === undefined ? '#pk = :pk' : '#pk = :pk AND #sk < :before',
        ExpressionAttributeNames: {
          '#pk': index.partitionKey,
          ...(range.before !== undefined && { '#sk': index.sortKey }),
          ...filter?.names,
        },
        ExpressionAttributeValues: {
          ':pk': partition,
          ...(range.before !== undefined && { ':before': range.before }),
          ...filter?.values,
        },
        ...(filter ? { FilterExpression: filter.expression } : {}),
        ScanIndexForward: range.oldestFirst === true,
        Limit: page.limit + 1,
        ...(lastKey ? { ExclusiveStartKey: lastKey } : {}),
      };
      const { Items = [], LastEvaluatedKey } = await this.client.send(new QueryCommand(input));
      found.push(...Items);
      lastKey = LastEvaluatedKey;
      if (found.length > page.limit || !lastKey) break;
    }
    const items = found.slice(0, page.limit);
    let next: IndexKey | undefined;
    const last = items.at(-1);
    if (found.length > page.limit && last) {
      next = Object.fromEntries(keyAttributes.map((name) => [name, String(last[name])]));
    } else if (lastKey) {
      // DynamoDB stopped early (1 MB per page, or the filtered queries ran out): more may follow.
      next = lastKey as IndexKey;
    }
    return { items: items.map(toVideo), ...(next ? { cursor: encodeCursor(next) } : {}) };
  }

  private update(videoId: string, spec: UpdateSpec): Promise<boolean> {
    return this.conditional(new UpdateCommand(this.updateInput(videoId, spec)));
  }

  private updateInput(videoId: string, spec: UpdateSpec): UpdateCommandInput {
    return {
      TableName: this.tableName,
      Key: { videoId },
      UpdateExpression: spec.UpdateExpression,
      ConditionExpression: spec.ConditionExpression,
      ExpressionAttributeNames: { ...namesOf(spec.names), ...spec.extraNames },
      ExpressionAttributeValues: spec.values,
    };
  }

  /** A conditional update answering the item as it was before (undefined: there was none), or false. */
  private async updateReturningOld(
    videoId: string,
    spec: UpdateSpec,
  ): Promise<Record<string, unknown> | undefined | false> {
    return this.updateReturning(videoId, spec, 'ALL_OLD');
  }

  /** A conditional update answering the item as it is after it, or false. */
  private async updateReturningNew(
    videoId: string,
    spec: UpdateSpec,
  ): Promise<Record<string, unknown> | false> {
    return (await this.updateReturning(videoId, spec, 'ALL_NEW')) ?? {};
  }

  private async updateReturning(
    videoId: string,
    spec: UpdateSpec,
    returnValues: 'ALL_OLD' | 'ALL_NEW',
  ): Promise<Record<string, unknown> | undefined | false> {
    try {
      const { Attributes } = await this.client.send(
        new UpdateCommand({ ...this.updateInput(videoId, spec), ReturnValues: returnValues }),
      );
      return Attributes;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
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

function namesOf(placeholders: readonly (keyof typeof N)[]): Names {
  const names: Names = {};
  for (const placeholder of placeholders) names[placeholder] = N[placeholder];
  return names;
}

function isConditionalCheckFailed(error: unknown): boolean {
  return (
    error instanceof ConditionalCheckFailedException ||
    (error instanceof Error && error.name === 'ConditionalCheckFailedException')
  );
}

/**
 * The extra condition for a job-state write: the job must be the video's recorded job (or none is
 * recorded yet, when a fast job reports before its id is stored) and not one that was replaced, so a
 * stray or retired job's late state cannot complete or fail the video.
 */
function jobGuard(jobId: string | undefined): {
  condition: string;
  names: readonly (keyof typeof N)[];
  values: Values;
} {
  if (jobId === undefined) return { condition: '', names: [], values: {} };
  return {
    condition:
      ' AND (attribute_not_exists(#jobId) OR #jobId = :jobId) AND NOT contains(#retiredJobIds, :jobId)',
    names: ['#jobId', '#retiredJobIds'],
    values: { ':jobId': jobId },
  };
}

/** The attempt and the recorded ladder of a claim, from the item as a claiming update returned it. */
function claimOf(item: Record<string, unknown>): Omit<Claim, 'kind'> {
  const renditions = readLadder(item.expectedRenditions);
  return {
    attempt: typeof item.jobAttempt === 'number' ? item.jobAttempt : 1,
    ...(renditions && { renditions }),
  };
}

function sourceItem(source: VideoSource): VideoItem['source'] {
  return dropUndefined({
    bucket: source.bucket,
    key: source.key,
    filename: source.filename,
    size: source.size,
    versionId: source.versionId,
  });
}
