import type { Rendition } from '#shared/video';

/** The seed's system presets, one per rendition (Generic 1080p, Generic 720p, Web 720p). */
export const ELASTIC_TRANSCODER_PRESETS: Readonly<Record<Rendition, string>> = {
  '1080p': '1351620000001-000001',
  '720p': '1351620000001-000010',
  'web-720p': '1351620000001-100070',
};
