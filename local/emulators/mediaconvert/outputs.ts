import type { JsonObject } from '#shared/json';
import { integer, JobSettingsError, object, oneOf, only, parseS3Url, text } from './fields.ts';

/** Where an output group writes: bucket and key base (the part MediaConvert appends modifiers and extensions to). */
export interface PlannedDestination {
  readonly bucket: string;
  /** Key without extension, e.g. `videos/<id>/1080p`. */
  readonly base: string;
}

/** One MP4 (H.264 + optional AAC) output. */
export interface PlannedMp4Output {
  readonly kind: 'mp4';
  readonly key: string;
  /** Box to fit in without upscaling; undefined keeps the input size. */
  readonly box?: { readonly width: number; readonly height: number };
  readonly profile: 'baseline' | 'main' | 'high';
  /** Constant-quality factor standing in for QVBR; undefined for CBR/VBR. */
  readonly crf?: number;
  /** Target (CBR/VBR) or cap (QVBR) in kb/s. */
  readonly videoBitrateKbps: number;
  readonly audio?: {
    readonly selector: string;
    readonly bitrateKbps: number;
    readonly channels: 1 | 2;
    readonly sampleRate: number;
  };
}

/** One frame-capture (JPEG) output. */
export interface PlannedFrameCapture {
  readonly kind: 'frame-capture';
  /** Key base; frame n is written to `<keyBase>.<n as 7 digits>.jpg`. */
  readonly keyBase: string;
  readonly box?: { readonly width: number; readonly height: number };
  readonly maxCaptures: number;
  /** Captures per second. */
  readonly rate: number;
  /** JPEG quality 1–100. */
  readonly quality: number;
}

/** An audio selector of the input: 1-based audio track numbers, and whether it is the fallback selector. */
export interface PlannedAudioSelector {
  readonly tracks: readonly number[];
  readonly isDefault: boolean;
}

function basenameWithoutExtension(key: string): string {
  const name = key.slice(key.lastIndexOf('/') + 1);
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(0, dot) : name;
}

export function destinationOf(group: JsonObject, path: string, inputKey: string): PlannedDestination {
  const settings = object(group.outputGroupSettings, `${path}/outputGroupSettings`);
  only(settings, `${path}/outputGroupSettings`, ['type', 'fileGroupSettings']);
  oneOf(settings, 'type', `${path}/outputGroupSettings`, ['FILE_GROUP_SETTINGS']);
  const fileGroupPath = `${path}/outputGroupSettings/fileGroupSettings`;
  const fileGroup = object(settings.fileGroupSettings, fileGroupPath);
  only(fileGroup, fileGroupPath, ['destination']);
  const destination = text(fileGroup, 'destination', fileGroupPath, true);
  const { bucket, key } = parseS3Url(destination, `${fileGroupPath}/destination`);
  // "If you do not specify the base filename in the URI, the service will use the filename of the input file."
  const base = key === '' || key.endsWith('/') ? `${key}${basenameWithoutExtension(inputKey)}` : key;
  return { bucket, base };
}

function box(video: JsonObject, path: string): { width: number; height: number } | undefined {
  const width = integer(video, 'width', path, 32, 8192);
  const height = integer(video, 'height', path, 32, 8192);
  if (width === undefined && height === undefined) return undefined;
  if (width === undefined || height === undefined) {
    throw new JobSettingsError(
      path,
      'Give both width and height (the emulator fits the picture in that box) or neither.',
    );
  }
  if (width % 2 !== 0 || height % 2 !== 0)
    throw new JobSettingsError(path, 'Width and height should be multiples of 2.');
  // DEFAULT pads to the box, FIT and FILL enlarge: the emulator renders "fit inside, never enlarge" only.
  oneOf(video, 'scalingBehavior', path, ['FIT_NO_UPSCALE']);
  return { width, height };
}

/** QVBR level (1–10) as an x264 CRF: level 7 ≈ CRF 23 (x264's default), each level ≈ 2 CRF steps. */
export function crfForQvbr(level: number): number {
  return Math.round(37 - 2 * level);
}

/** An output's `videoDescription` and the settings block of its one allowed codec, each with its JSON path. */
function videoCodecSettings(
  output: JsonObject,
  path: string,
  codec: string,
  settingsKey: string,
): { video: JsonObject; videoPath: string; settings: JsonObject; settingsPath: string } {
  const videoPath = `${path}/videoDescription`;
  const video = object(output.videoDescription, videoPath);
  only(video, videoPath, ['width', 'height', 'scalingBehavior', 'antiAlias', 'sharpness', 'codecSettings']);
  const codecPath = `${videoPath}/codecSettings`;
  const codecSettings = object(video.codecSettings, codecPath);
  only(codecSettings, codecPath, ['codec', settingsKey]);
  oneOf(codecSettings, 'codec', codecPath, [codec]);
  const settingsPath = `${codecPath}/${settingsKey}`;
  return { video, videoPath, settings: object(codecSettings[settingsKey], settingsPath), settingsPath };
}

function mp4Output(
  output: JsonObject,
  path: string,
  key: string,
  selectors: ReadonlyMap<string, PlannedAudioSelector>,
): PlannedMp4Output {
  const containerPath = `${path}/containerSettings`;
  const container = object(output.containerSettings, containerPath);
  if (container.mp4Settings !== undefined) {
    const mp4 = object(container.mp4Settings, `${containerPath}/mp4Settings`);
    only(mp4, `${containerPath}/mp4Settings`, ['moovPlacement']);
    // ffmpeg's +faststart is the only placement the emulator writes.
    oneOf(mp4, 'moovPlacement', `${containerPath}/mp4Settings`, ['PROGRESSIVE_DOWNLOAD']);
  }
  const {
    video,
    videoPath,
    settings: h264,
    settingsPath: h264Path,
  } = videoCodecSettings(output, path, 'H_264', 'h264Settings');
  only(h264, h264Path, [
    'rateControlMode',
    'qvbrSettings',
    'maxBitrate',
    'bitrate',
    'codecProfile',
    'codecLevel',
    'sceneChangeDetect',
    'qualityTuningLevel',
  ]);
  const mode = oneOf(h264, 'rateControlMode', h264Path, ['QVBR', 'CBR', 'VBR']);
  const profile = oneOf(h264, 'codecProfile', h264Path, ['BASELINE', 'MAIN', 'HIGH'], 'MAIN').toLowerCase() as
    | 'baseline'
    | 'main'
    | 'high';
  if (h264.codecLevel !== undefined) oneOf(h264, 'codecLevel', h264Path, ['AUTO']);
  if (h264.sceneChangeDetect !== undefined) {
    oneOf(h264, 'sceneChangeDetect', h264Path, ['DISABLED', 'ENABLED', 'TRANSITION_DETECTION']);
  }
  if (h264.qualityTuningLevel !== undefined) {
    oneOf(h264, 'qualityTuningLevel', h264Path, ['SINGLE_PASS', 'SINGLE_PASS_HQ', 'MULTI_PASS_HQ']);
  }
  let crf: number | undefined;
  let bitrate: number;
  if (mode === 'QVBR') {
    const qvbr = object(h264.qvbrSettings, `${h264Path}/qvbrSettings`);
    only(qvbr, `${h264Path}/qvbrSettings`, ['qvbrQualityLevel']);
    crf = crfForQvbr(integer(qvbr, 'qvbrQualityLevel', `${h264Path}/qvbrSettings`, 1, 10, true));
    bitrate = integer(h264, 'maxBitrate', h264Path, 1000, 1_152_000_000, true);
    if (h264.bitrate !== undefined)
      throw new JobSettingsError(`${h264Path}/bitrate`, 'Not used with QVBR; set maxBitrate.');
  } else {
    if (h264.qvbrSettings !== undefined) {
      throw new JobSettingsError(`${h264Path}/qvbrSettings`, `Only used with QVBR, not ${mode}.`);
    }
    bitrate = integer(h264, 'bitrate', h264Path, 1000, 1_152_000_000, true);
  }

  let audio: PlannedMp4Output['audio'];
  if (output.audioDescriptions !== undefined) {
    const descriptions = output.audioDescriptions;
    if (!Array.isArray(descriptions) || descriptions.length !== 1) {
      throw new JobSettingsError(
        `${path}/audioDescriptions`,
        'The emulator renders exactly one audio track per output.',
      );
    }
    const audioPath = `${path}/audioDescriptions/0`;
    const description = object(descriptions[0], audioPath);
    only(description, audioPath, ['audioSourceName', 'codecSettings']);
    const selector = text(description, 'audioSourceName', audioPath) ?? 'Audio Selector 1';
    if (!selectors.has(selector)) {
      // Real MediaConvert falls back to the default selector, or inserts silence; the emulator renders neither.
      throw new JobSettingsError(
        `${audioPath}/audioSourceName`,
        `Names audio selector "${selector}", which the input does not define (it defines ${[...selectors.keys()].join(', ') || 'none'}).`,
      );
    }
    const audioCodecPath = `${audioPath}/codecSettings`;
    const audioCodec = object(description.codecSettings, audioCodecPath);
    only(audioCodec, audioCodecPath, ['codec', 'aacSettings']);
    oneOf(audioCodec, 'codec', audioCodecPath, ['AAC']);
    const aacPath = `${audioCodecPath}/aacSettings`;
    const aac = object(audioCodec.aacSettings, aacPath);
    only(aac, aacPath, ['bitrate', 'codingMode', 'sampleRate', 'codecProfile']);
    if (aac.codecProfile !== undefined) oneOf(aac, 'codecProfile', aacPath, ['LC']);
    const codingMode = oneOf(aac, 'codingMode', aacPath, ['CODING_MODE_2_0', 'CODING_MODE_1_0']);
    const sampleRate = integer(aac, 'sampleRate', aacPath, 8000, 96_000, true);
    if (sampleRate !== 44_100 && sampleRate !== 48_000) {
      throw new JobSettingsError(`${aacPath}/sampleRate`, `Should be 44100 or 48000; got ${sampleRate}.`);
    }
    audio = {
      selector,
      bitrateKbps: Math.round(integer(aac, 'bitrate', aacPath, 6000, 1_024_000, true) / 1000),
      channels: codingMode === 'CODING_MODE_1_0' ? 1 : 2,
      sampleRate,
    };
  }

  const planned = box(video, videoPath);
  return {
    kind: 'mp4',
    key: `${key}.mp4`,
    ...(planned && { box: planned }),
    profile,
    ...(crf !== undefined && { crf }),
    videoBitrateKbps: Math.round(bitrate / 1000),
    ...(audio && { audio }),
  };
}

function frameCapture(output: JsonObject, path: string, keyBase: string): PlannedFrameCapture {
  if (output.audioDescriptions !== undefined) {
    throw new JobSettingsError(`${path}/audioDescriptions`, 'A frame-capture (RAW) output carries no audio.');
  }
  const {
    video,
    videoPath,
    settings: capture,
    settingsPath: capturePath,
  } = videoCodecSettings(output, path, 'FRAME_CAPTURE', 'frameCaptureSettings');
  only(capture, capturePath, ['framerateNumerator', 'framerateDenominator', 'maxCaptures', 'quality']);
  const numerator = integer(capture, 'framerateNumerator', capturePath, 1, 2_147_483_647, true);
  const denominator = integer(capture, 'framerateDenominator', capturePath, 1, 2_147_483_647, true);
  const planned = box(video, videoPath);
  return {
    kind: 'frame-capture',
    keyBase,
    ...(planned && { box: planned }),
    maxCaptures: integer(capture, 'maxCaptures', capturePath, 1, 10_000_000) ?? 10_000_000,
    rate: numerator / denominator,
    quality: integer(capture, 'quality', capturePath, 1, 100) ?? 80,
  };
}

export function outputOf(
  output: JsonObject,
  path: string,
  destination: PlannedDestination,
  selectors: ReadonlyMap<string, PlannedAudioSelector>,
): PlannedMp4Output | PlannedFrameCapture {
  only(output, path, ['nameModifier', 'containerSettings', 'videoDescription', 'audioDescriptions']);
  const nameModifier = text(output, 'nameModifier', path) ?? '';
  const key = `${destination.base}${nameModifier}`;
  const container = object(output.containerSettings, `${path}/containerSettings`);
  only(container, `${path}/containerSettings`, ['container', 'mp4Settings']);
  const kind = oneOf(container, 'container', `${path}/containerSettings`, ['MP4', 'RAW']);
  return kind === 'MP4' ? mp4Output(output, path, key, selectors) : frameCapture(output, path, key);
}
