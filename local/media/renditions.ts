/** How to encode one H.264/AAC MP4 rendition. */
export interface RenditionEncoding {
  /** The box the picture must fit in; smaller inputs are never upscaled. */
  readonly maxWidth: number;
  readonly maxHeight: number;
  readonly videoBitrateKbps: number;
  readonly audioBitrateKbps: number;
  readonly profile: 'baseline' | 'main' | 'high';
  /** Drop audio entirely (input has none). */
  readonly noAudio?: boolean;
  /**
   * Constant-quality mode: x264 CRF instead of a target bit rate, capped at `videoBitrateKbps`
   * (how the MediaConvert emulator renders QVBR).
   */
  readonly crf?: number;
  /** False to ignore rotation metadata (MediaConvert's default unless `Rotate: AUTO`); true by default. */
  readonly autorotate?: boolean;
  /** Which audio stream of the input to encode (0-based among audio streams); the first when unset. */
  readonly audioStream?: number;
  /** Output audio channels; 2 when unset. */
  readonly audioChannels?: 1 | 2;
  /** Output audio sample rate in Hz; the input's when unset. */
  readonly audioSampleRate?: number;
}

/**
 * ffmpeg arguments for one rendition: shrink to fit the box keeping aspect ratio (autorotate
 * first, so portrait stays portrait), never upscale, even dimensions, faststart MP4.
 */
export function renditionArgs(input: string, output: string, enc: RenditionEncoding): string[] {
  const fit =
    `scale=w='min(${enc.maxWidth},iw)':h='min(${enc.maxHeight},ih)':force_original_aspect_ratio=decrease,` +
    'scale=trunc(iw/2)*2:trunc(ih/2)*2';
  const audio = enc.noAudio
    ? ['-an']
    : [
        '-c:a',
        'aac',
        '-b:a',
        `${enc.audioBitrateKbps}k`,
        '-ac',
        String(enc.audioChannels ?? 2),
        ...(enc.audioSampleRate ? ['-ar', String(enc.audioSampleRate)] : []),
      ];
  const rate =
    enc.crf === undefined
      ? ['-b:v', `${enc.videoBitrateKbps}k`, '-maxrate', `${enc.videoBitrateKbps * 2}k`]
      : ['-crf', String(enc.crf), '-maxrate', `${enc.videoBitrateKbps}k`];
  return [
    '-hide_banner',
    '-nostdin',
    '-y',
    '-v',
    'error',
    '-progress',
    'pipe:1',
    ...(enc.autorotate === false ? ['-noautorotate'] : []),
    '-i',
    input,
    '-map',
    '0:v:0',
    ...(enc.noAudio ? [] : ['-map', enc.audioStream === undefined ? '0:a:0?' : `0:a:${enc.audioStream}`]),
    '-vf',
    fit,
    '-c:v',
    'libx264',
    '-profile:v',
    enc.profile,
    '-preset',
    'veryfast',
    '-pix_fmt',
    'yuv420p',
    ...rate,
    '-bufsize',
    `${enc.videoBitrateKbps * 4}k`,
    ...audio,
    '-movflags',
    '+faststart',
    '-f',
    'mp4',
    output,
  ];
}

/**
 * ffmpeg arguments encoding several renditions of one input in one process: the input is read
 * and decoded once and each output gets its own filter chain and encoder settings, which is
 * cheaper than one ffmpeg per rendition.
 */
export function multiRenditionArgs(
  input: string,
  outputs: readonly { readonly output: string; readonly encoding: RenditionEncoding }[],
): string[] {
  const perOutput = outputs.map(({ output, encoding }) => {
    const args = renditionArgs(input, output, encoding);
    return args.slice(args.indexOf('-i') + 2);
  });
  const first = renditionArgs(input, outputs[0]?.output ?? '', outputs[0]?.encoding ?? RENDITION_FALLBACK);
  return [...first.slice(0, first.indexOf('-i') + 2), ...perOutput.flat()];
}

const RENDITION_FALLBACK: RenditionEncoding = {
  maxWidth: 1280,
  maxHeight: 720,
  videoBitrateKbps: 2400,
  audioBitrateKbps: 128,
  profile: 'main',
};
