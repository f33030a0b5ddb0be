/** Who may watch a video: everyone, or its owner alone. */
export const VISIBILITIES = ['public', 'private'] as const;

/** One of {@link VISIBILITIES}. */
export type Visibility = (typeof VISIBILITIES)[number];

/** New uploads are public unless the owner says otherwise. */
export const DEFAULT_VISIBILITY: Visibility = 'public';

/** True when `value` names a visibility. */
export function isVisibility(value: unknown): value is Visibility {
  return typeof value === 'string' && (VISIBILITIES as readonly string[]).includes(value);
}
