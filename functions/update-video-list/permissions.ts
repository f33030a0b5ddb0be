import type { FunctionCalls } from '#shared/iam';

/**
 * Every AWS call this function makes, and on what. `npm test` compares it with the SDK commands the
 * bundle constructs and simulates each call against the synthesized policies: change it with the code,
 * and the grant with it.
 */
export const CALLS: FunctionCalls = [
  // recordRendition and tryMarkReady: conditional updates, nothing else.
  { action: 'dynamodb:UpdateItem', on: { table: 'videos' } },
];
