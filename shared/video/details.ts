import { isObject } from '#shared/json';
import { isVisibility, VISIBILITIES, type Visibility } from './visibility.ts';

/** Longest title, in characters (Unicode code points after NFC normalization). */
export const TITLE_MAX_LENGTH = 120;

/** Longest description, in characters (Unicode code points after NFC normalization). */
export const DESCRIPTION_MAX_LENGTH = 2000;

/** The fields an owner may change on a video, each optional. */
export interface DetailsPatch {
  readonly title?: string;
  /** An empty string removes the description. */
  readonly description?: string;
  readonly visibility?: Visibility;
}

/** The fields {@link DetailsPatch} accepts, in the order messages list them. */
export const DETAILS_FIELDS = ['title', 'description', 'visibility'] as const;

/** The outcome of a check: the normalized value, or the field at fault and a message for people. */
export type DetailsCheck<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly field: string; readonly message: string };

/**
 * The number of characters of `text` as people count them, approximated by Unicode code points:
 * `é` and `漢` are one each, an emoji outside the BMP is one (not two UTF-16 units).
 */
export function characterCount(text: string): number {
  let count = 0;
  for (const _ of text) count++;
  return count;
}

/**
 * The first code point a text field must not hold: C0 and C1 controls and DEL, an unpaired
 * surrogate (JSON can carry one, no text store keeps it), and the line and paragraph separators;
 * with `multiline`, line feeds and tabs are allowed.
 */
export function forbiddenCodePoint(text: string, multiline = false): number | undefined {
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    if (multiline && (code === 0x0a || code === 0x09)) continue;
    const control = code <= 0x1f || (code >= 0x7f && code <= 0x9f);
    const surrogate = code >= 0xd800 && code <= 0xdfff;
    const separator = !multiline && (code === 0x2028 || code === 0x2029);
    if (control || surrogate || separator) return code;
  }
  return undefined;
}

/** A code point as Unicode writes it, e.g. `U+0000`. */
export function codePointName(code: number): string {
  return `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** Checks a title: a string of 1 to {@link TITLE_MAX_LENGTH} characters, no control characters; trimmed and NFC-normalized. */
export function checkTitle(value: unknown): DetailsCheck<string> {
  if (typeof value !== 'string') {
    return { ok: false, field: 'title', message: `"title" must be a string, got ${typeName(value)}.` };
  }
  const title = value.normalize('NFC').trim();
  const forbidden = forbiddenCodePoint(title, false);
  if (forbidden !== undefined) {
    return {
      ok: false,
      field: 'title',
      message: `"title" contains a control character (${codePointName(forbidden)}); use printable text on one line.`,
    };
  }
  const length = characterCount(title);
  if (length === 0) {
    return { ok: false, field: 'title', message: '"title" must not be empty; give the video a name.' };
  }
  if (length > TITLE_MAX_LENGTH) {
    return {
      ok: false,
      field: 'title',
      message: `"title" is ${length} characters; use at most ${TITLE_MAX_LENGTH}.`,
    };
  }
  return { ok: true, value: title };
}

/**
 * Checks a description: a string of at most {@link DESCRIPTION_MAX_LENGTH} characters; line breaks
 * and tabs are kept (CRLF becomes LF), other control characters are refused. Empty means "none".
 */
export function checkDescription(value: unknown): DetailsCheck<string> {
  if (typeof value !== 'string') {
    return {
      ok: false,
      field: 'description',
      message: `"description" must be a string, got ${typeName(value)}.`,
    };
  }
  const description = value.normalize('NFC').replace(/\r\n?/g, '\n').trim();
  const forbidden = forbiddenCodePoint(description, true);
  if (forbidden !== undefined) {
    return {
      ok: false,
      field: 'description',
      message: `"description" contains a control character (${codePointName(forbidden)}); only line breaks and tabs are allowed.`,
    };
  }
  const length = characterCount(description);
  if (length > DESCRIPTION_MAX_LENGTH) {
    return {
      ok: false,
      field: 'description',
      message: `"description" is ${length} characters; use at most ${DESCRIPTION_MAX_LENGTH}.`,
    };
  }
  return { ok: true, value: description };
}

/** Checks a visibility: exactly `public` or `private`. */
export function checkVisibility(value: unknown): DetailsCheck<Visibility> {
  if (!isVisibility(value)) {
    return {
      ok: false,
      field: 'visibility',
      message: `"visibility" must be one of ${VISIBILITIES.map((v) => `"${v}"`).join(', ')}, got ${typeName(value)}.`,
    };
  }
  return { ok: true, value };
}

/**
 * Checks a whole change request: an object with at least one of {@link DETAILS_FIELDS} and nothing
 * else, each field valid. The first problem found is reported, naming its field.
 */
export function checkDetailsPatch(body: unknown): DetailsCheck<DetailsPatch> {
  if (!isObject(body)) {
    return { ok: false, field: '', message: 'The request body must be a JSON object.' };
  }
  const fields = Object.keys(body);
  const unknown = fields.find((name) => !(DETAILS_FIELDS as readonly string[]).includes(name));
  if (unknown !== undefined) {
    return {
      ok: false,
      field: unknown,
      message: `"${unknown}" is not a field that can be changed; send only ${DETAILS_FIELDS.map((f) => `"${f}"`).join(', ')}.`,
    };
  }
  if (fields.length === 0) {
    return {
      ok: false,
      field: '',
      message: `Nothing to change; send at least one of ${DETAILS_FIELDS.map((f) => `"${f}"`).join(', ')}.`,
    };
  }
  const input = body;
  let patch: DetailsPatch = {};
  if ('title' in input) {
    const title = checkTitle(input.title);
    if (!title.ok) return title;
    patch = { ...patch, title: title.value };
  }
  if ('description' in input) {
    const description = checkDescription(input.description);
    if (!description.ok) return description;
    patch = { ...patch, description: description.value };
  }
  if ('visibility' in input) {
    const visibility = checkVisibility(input.visibility);
    if (!visibility.ok) return visibility;
    patch = { ...patch, visibility: visibility.value };
  }
  return { ok: true, value: patch };
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  return typeof value === 'object' ? 'an object' : `${typeof value} ${String(value)}`;
}
