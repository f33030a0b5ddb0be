import type { RenditionEncoding } from '#local/media';

/** A system preset: its name and the encoding the emulator runs for it. */
export interface SystemPreset {
  readonly name: string;
  readonly description: string;
  readonly encoding: RenditionEncoding;
}

/**
 * The system presets the emulator knows, by id, with the settings of the real ones
 * (H.264/AAC MP4 that fits the preset's maximum size).
 * https://docs.aws.amazon.com/elastictranscoder/latest/developerguide/system-presets.html
 */
export const SYSTEM_PRESETS: Readonly<Record<string, SystemPreset>> = {
  '1351620000001-000001': {
    name: 'System preset: Generic 1080p',
    description: 'System preset generic 1080p',
    encoding: {
      maxWidth: 1920,
      maxHeight: 1080,
      videoBitrateKbps: 5400,
      audioBitrateKbps: 160,
      profile: 'high',
    },
  },
  '1351620000001-000010': {
    name: 'System preset: Generic 720p',
    description: 'System preset generic 720p',
    encoding: {
      maxWidth: 1280,
      maxHeight: 720,
      videoBitrateKbps: 2400,
      audioBitrateKbps: 160,
      profile: 'main',
    },
  },
  '1351620000001-100070': {
    name: 'System preset: Web',
    description: 'System preset: Web (Facebook, SmugMug, Vimeo, YouTube), 720p',
    encoding: {
      maxWidth: 1280,
      maxHeight: 720,
      videoBitrateKbps: 2200,
      audioBitrateKbps: 160,
      profile: 'main',
    },
  },
};

/** A system preset as ReadPreset answers it (wire shape). */
export function presetView(
  id: string,
  preset: SystemPreset,
  context: { region: string; account: string },
): Record<string, unknown> {
  return {
    Id: id,
    Arn: `arn:aws:elastictranscoder:${context.region}:${context.account}:preset/${id}`,
    Name: preset.name,
    Description: preset.description,
    Container: 'mp4',
    Type: 'System',
    Video: {
      Codec: 'H.264',
      CodecOptions: { Profile: preset.encoding.profile },
      BitRate: String(preset.encoding.videoBitrateKbps),
      MaxWidth: String(preset.encoding.maxWidth),
      MaxHeight: String(preset.encoding.maxHeight),
      SizingPolicy: 'ShrinkToFit',
      PaddingPolicy: 'NoPad',
      DisplayAspectRatio: 'auto',
      FrameRate: 'auto',
    },
    Audio: {
      Codec: 'AAC',
      BitRate: String(preset.encoding.audioBitrateKbps),
      Channels: '2',
      SampleRate: '44100',
    },
  };
}
