/**
 * The video table's key schema. `infra/` builds the table from it and the repository queries by it,
 * so the two cannot drift apart.
 */
export const VIDEO_TABLE_SCHEMA = {
  partitionKey: 'videoId',
  indexes: {
    /** Videos of one status, newest first: the public catalogue is `status = READY` (public ones only). */
    byStatus: { partitionKey: 'status', sortKey: 'createdAt' },
    /** Videos of one owner, newest first: a user's own list in every status. */
    byOwner: { partitionKey: 'ownerId', sortKey: 'createdAt' },
  },
  /** The TTL attribute (epoch seconds): DynamoDB removes a deletion tombstone once it has passed. */
  ttlAttribute: 'expiresAt',
} as const;

/** Name of a GSI of the video table. */
export type VideoIndexName = keyof typeof VIDEO_TABLE_SCHEMA.indexes;
