import { MalformedKeyError } from './errors.ts';

// S3 event keys are form-URL-encoded (spaces as '+', '+' as '%2B') with '/' left as is:
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-content-structure.html
// Only letters, digits, `-_.*` and `/` stay literal, as in application/x-www-form-urlencoded.
const LITERAL = /[A-Za-z0-9\-_.*/]/;

/** Decodes an object key as it appears in an S3 event (`my+video%C3%A9.mp4` → `my videoé.mp4`). */
export function decodeS3Key(encodedKey: string): string {
  try {
    return decodeURIComponent(encodedKey.replace(/\+/g, ' '));
  } catch (error) {
    throw new MalformedKeyError(
      encodedKey,
      `S3 event key "${encodedKey}" is not valid URL encoding. S3 always encodes event keys, so the event was written by hand or by an emulator that does not encode them; encode the key with encodeS3Key.`,
      { cause: error },
    );
  }
}

/**
 * Encodes an object key the way S3 writes it into event notifications: UTF-8 percent-encoding,
 * spaces as `+`, and `/`, letters, digits and `-_.*` left literal. Fixtures and emulators use it.
 */
export function encodeS3Key(key: string): string {
  let out = '';
  for (const char of key) {
    if (char === ' ') out += '+';
    else if (LITERAL.test(char)) out += char;
    else out += percentEncode(char, key);
  }
  return out;
}

function percentEncode(char: string, key: string): string {
  const code = char.codePointAt(0) ?? 0;
  if (code >= 0xd800 && code <= 0xdfff) {
    // S3 keys are UTF-8, which cannot hold a lone surrogate; Buffer.from would silently write U+FFFD.
    throw new MalformedKeyError(
      key,
      `Key ${JSON.stringify(key)} holds a lone UTF-16 surrogate, which no S3 key can contain.`,
    );
  }
  return [...Buffer.from(char, 'utf8')]
    .map((byte) => `%${byte.toString(16).toUpperCase().padStart(2, '0')}`)
    .join('');
}
