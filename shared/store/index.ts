export {
  DynamoVideoRepository,
  MAX_FILTERED_QUERIES,
  MAX_PAGE_LIMIT,
  STALE_CLAIM_MS,
} from './dynamo-repository.ts';
export { InvalidCursorError } from './errors.ts';
export { createVideoRepository } from './factory.ts';
export * from './repository.ts';
export * from './schema.ts';
export * from './types.ts';
