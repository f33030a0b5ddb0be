/**
 * What a video's title, description and visibility may be, and the words used to refuse them.
 * Pure and browser-safe (no Node imports): the API's `PATCH /videos/{id}` enforces these rules and the
 * web app checks them before it sends, so both say the same thing. Import it as
 * `#shared/video/details-rules`.
 *
 * Lengths count Unicode code points, so a title in any script (or with emoji) gets its 120 characters
 * whatever its UTF-16 length.
 */

/** Most characters in a title (at least 1, not all blank). */
export const TITLE_MAX_LENGTH = 120;

/** Most characters in a description (it may be empty). */
export const DESCRIPTION_MAX_LENGTH = 2000;

/** Who may see a video: `public` is the catalogue, `private` is its owner alone. */
export const VISIBILITIES = ['public', 'private'] as const;

/** One of {@link VISIBILITIES}. */
export type Visibility = (typeof VISIBILITIES)[number];

/** The fields an owner may change, in the order messages name them. */
export const DETAILS_FIELDS = ['title', 'description', 'visibility'] as const;

/** A checked change to a video's details: only the fields that were sent. */
export interface VideoDetailsPatch {
  readonly title?: string;
  readonly description?: string;
  readonly visibility?: Visibility;
}

/** Why a change was refused: always a 400 `INVALID_REQUEST` that names the field. */
export interface DetailsProblem {
  readonly code: 'INVALID_REQUEST';
  readonly field: string;
  readonly message: string;
}

/** The outcome of {@link checkVideoDetails}. */
export type VideoDetailsCheck =
  | { readonly ok: true; readonly patch: VideoDetailsPatch }
  | { readonly ok: false; readonly problem: DetailsProblem };

/** True when `value` is one of {@link VISIBILITIES}. */
export function isVisibility(value: unknown): value is Visibility {
  return (VISIBILITIES as readonly unknown[]).includes(value);
}

/** The length of `text` in Unicode code points, the unit of every limit here. */
export function characterCount(text: string): number {
  let count = 0;
  for (const _ of text) count += 1;
  return count;
}

/** Why `title` is not a valid title, or undefined when it is. */
export function titleProblem(title: unknown): string | undefined {
  if (typeof title !== 'string') return `"title" must be a string of 1 to ${TITLE_MAX_LENGTH} characters.`;
  if (title.trim() === '')
    return `"title" is empty; give the video a title of 1 to ${TITLE_MAX_LENGTH} characters.`;
  const length = characterCount(title);
  if (length > TITLE_MAX_LENGTH) return `"title" is ${length} characters; use at most ${TITLE_MAX_LENGTH}.`;
  return characterProblem('title', title, 'use plain text on one line', false);
}

/** Why `description` is not a valid description, or undefined when it is. Line breaks are allowed. */
export function descriptionProblem(description: unknown): string | undefined {
  if (typeof description !== 'string') {
    return `"description" must be a string of at most ${DESCRIPTION_MAX_LENGTH} characters.`;
  }
  const length = characterCount(description);
  if (length > DESCRIPTION_MAX_LENGTH) {
    return `"description" is ${length} characters; use at most ${DESCRIPTION_MAX_LENGTH}.`;
  }
  return characterProblem('description', description, 'only line breaks are allowed', true);
}

/** Why `visibility` is not a valid visibility, or undefined when it is. */
export function visibilityProblem(visibility: unknown): string | undefined {
  return isVisibility(visibility) ? undefined : '"visibility" must be "public" or "private".';
}

/**
 * Checks a `PATCH /videos/{id}` body: at least one known field, each valid. Unknown fields are refused
 * rather than ignored, so a misspelt field never looks like a saved change.
 */
export function checkVideoDetails(body: Record<string, unknown>): VideoDetailsCheck {
  const refuse = (field: string, message: string): VideoDetailsCheck => ({
    ok: false,
    problem: { code: 'INVALID_REQUEST', field, message },
  });
  const known = DETAILS_FIELDS.map((field) => `"${field}"`);
  const listed = `${known.slice(0, -1).join(', ')} or ${known.at(-1)}`;
  const unknown = Object.keys(body).find((key) => !(DETAILS_FIELDS as readonly string[]).includes(key));
  if (unknown !== undefined) {
    return refuse(unknown, `"${unknown}" is not a field you can change; send ${listed}.`);
  }
  const { title, description, visibility } = body;
  if (title === undefined && description === undefined && visibility === undefined) {
    return refuse('body', `Send at least one of ${listed}.`);
  }
  const problems = [
    ['title', title === undefined ? undefined : titleProblem(title)],
    ['description', description === undefined ? undefined : descriptionProblem(description)],
    ['visibility', visibility === undefined ? undefined : visibilityProblem(visibility)],
  ] as const;
  for (const [field, message] of problems) {
    if (message !== undefined) return refuse(field, message);
  }
  return {
    ok: true,
    patch: {
      ...(typeof title === 'string' ? { title } : {}),
      ...(typeof description === 'string' ? { description } : {}),
      ...(isVisibility(visibility) ? { visibility } : {}),
    },
  };
}

const LINE_FEED = 0x0a;

/** The first control character (C0, DEL, C1) or lone surrogate in `text`, as a message. */
function characterProblem(
  field: string,
  text: string,
  advice: string,
  allowLineFeed: boolean,
): string | undefined {
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    if (code >= 0xd800 && code <= 0xdfff) {
      return `"${field}" contains an invalid character (a lone UTF-16 surrogate); send well-formed text.`;
    }
    const control = code < 0x20 || (code >= 0x7f && code <= 0x9f);
    if (control && !(allowLineFeed && code === LINE_FEED)) {
      const name = `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
      return `"${field}" contains a control character (${name}); ${advice}.`;
    }
  }
  return undefined;
}
