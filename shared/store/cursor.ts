import { isObject } from '#shared/json';
import { InvalidCursorError } from './errors.ts';

/** A DynamoDB key of one GSI entry: the table key plus the index keys, all strings here. */
export type IndexKey = Readonly<Record<string, string>>;

/** Encodes a GSI position (`LastEvaluatedKey`) as an opaque, URL-safe cursor. */
export function encodeCursor(key: IndexKey): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

/**
 * Decodes a cursor made by {@link encodeCursor} and checks it is a position in the partition being
 * queried: exactly the attributes `attributes`, all non-empty strings, and `fixed` values equal
 * (the status or owner of the query). Anything else throws {@link InvalidCursorError}.
 */
export function decodeCursor(
  cursor: string,
  attributes: readonly string[],
  fixed: Readonly<Record<string, string>>,
): IndexKey {
  if (cursor.length === 0 || cursor.length > 2048 || !/^[A-Za-z0-9_-]+$/.test(cursor)) {
    throw new InvalidCursorError(
      'The cursor is not base64url text; pass the cursor of the previous page unchanged.',
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch (error) {
    throw new InvalidCursorError(
      'The cursor does not decode to a list position; pass the cursor of the previous page unchanged.',
      {
        cause: error,
      },
    );
  }
  if (!isObject(parsed)) {
    throw new InvalidCursorError(
      'The cursor does not decode to a list position; pass the cursor of the previous page unchanged.',
    );
  }
  const entries = Object.entries(parsed);
  const expected = [...attributes].sort();
  const actual = entries.map(([name]) => name).sort();
  if (expected.length !== actual.length || expected.some((name, i) => name !== actual[i])) {
    throw new InvalidCursorError(
      `The cursor is not a position in this list (expected the attributes ${expected.join(', ')}); it may come from another query.`,
    );
  }
  for (const [name, value] of entries) {
    if (typeof value !== 'string' || value === '') {
      throw new InvalidCursorError(
        `The cursor's ${name} is not a non-empty string; pass the cursor of the previous page unchanged.`,
      );
    }
  }
  const key = parsed as IndexKey;
  for (const [name, value] of Object.entries(fixed)) {
    if (key[name] !== value) {
      throw new InvalidCursorError(
        `The cursor belongs to another list (its ${name} differs from this query's); start again without a cursor.`,
      );
    }
  }
  return key;
}
