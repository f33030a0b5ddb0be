import type { VideoMetadata, VideoView } from '#web/api/types.ts';

/** Shown where a value is unknown, instead of `undefined` or `NaN`. */
export const UNKNOWN = '—';

const finite = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);

/** What to call a video: its title, else the filename it was uploaded as. */
export function videoTitle(video: Pick<VideoView, 'title' | 'filename'>): string {
  return video.title?.trim() || video.filename?.trim() || 'Untitled video';
}

/** `65.2` → `1:05`, `3723` → `1:02:03`. */
export function formatDuration(seconds: number | undefined): string {
  if (!finite(seconds) || seconds < 0) return UNKNOWN;
  const total = Math.round(seconds);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

/** A duration as words for screen readers: `1 min 5 s`. */
export function durationLabel(seconds: number | undefined): string {
  if (!finite(seconds) || seconds < 0) return 'unknown duration';
  const total = Math.round(seconds);
  const parts = [
    [Math.floor(total / 3600), 'h'],
    [Math.floor((total % 3600) / 60), 'min'],
    [total % 60, 's'],
  ] as const;
  const shown = parts.filter(([n]) => n > 0).map(([n, unit]) => `${n} ${unit}`);
  return shown.length > 0 ? shown.join(' ') : '0 s';
}

const BYTE_UNITS = ['bytes', 'KB', 'MB', 'GB', 'TB'] as const;

/** `1536000` → `1.5 MB` (powers of 1024, as file managers show). */
export function formatBytes(bytes: number | undefined): string {
  if (!finite(bytes) || bytes < 0) return UNKNOWN;
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < BYTE_UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const digits = unit === 0 || value >= 100 ? 0 : 1;
  return `${value.toFixed(digits)} ${BYTE_UNITS[unit]}`;
}

/** An upload speed: `1.2 MB/s`. */
export function formatRate(bytesPerSecond: number | undefined): string {
  return finite(bytesPerSecond) && bytesPerSecond > 0 ? `${formatBytes(bytesPerSecond)}/s` : UNKNOWN;
}

/** `2_500_000` → `2.5 Mbit/s`. */
export function formatBitRate(bitsPerSecond: number | undefined): string {
  if (!finite(bitsPerSecond) || bitsPerSecond <= 0) return UNKNOWN;
  if (bitsPerSecond >= 1_000_000) return `${(bitsPerSecond / 1_000_000).toFixed(1)} Mbit/s`;
  return `${Math.round(bitsPerSecond / 1000)} kbit/s`;
}

/** The picture as displayed, after rotation: a portrait phone video is `1080×1920`. */
export function formatResolution(
  metadata: Pick<VideoMetadata, 'width' | 'height' | 'rotation'> | undefined,
): string {
  if (!metadata || !finite(metadata.width) || !finite(metadata.height) || metadata.width <= 0) return UNKNOWN;
  const turned = Math.abs(metadata.rotation ?? 0) % 180 === 90;
  const [w, h] = turned ? [metadata.height, metadata.width] : [metadata.width, metadata.height];
  return `${w}×${h}`;
}

/** A date in the reader's locale: `24 Nov 2026`. */
export function formatDate(iso: string | undefined, locale?: string): string {
  const date = iso ? new Date(iso) : undefined;
  if (!date || Number.isNaN(date.getTime())) return UNKNOWN;
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium' }).format(date);
}

/** A whole percentage 0–100 from the API's progress, whatever it sent. */
export function percent(progress: number | undefined): number {
  return finite(progress) ? Math.min(100, Math.max(0, Math.round(progress))) : 0;
}

/** A status in one or two words: `Transcoding`, `Ready`. */
export function statusWord(status: VideoView['status']): string {
  switch (status) {
    case 'UPLOADED':
      return 'Waiting for the file';
    case 'TRANSCODING':
      return 'Transcoding';
    case 'READY':
      return 'Ready';
    case 'FAILED':
      return 'Failed';
    case 'REJECTED':
      return 'Rejected';
    default:
      return 'Unknown status';
  }
}

/** A status with its progress while in flight: `Transcoding 40%`. */
export function statusLabel(video: Pick<VideoView, 'status' | 'progress'>): string {
  const word = statusWord(video.status);
  return video.status === 'TRANSCODING' || video.status === 'UPLOADED'
    ? `${word} ${percent(video.progress)}%`
    : word;
}
