// The port alone: the library's index also loads both SDK adapters, a tenth of the synth time.
import { TRANSCODER_BACKENDS, type TranscoderBackend } from '#shared/transcoder/port';

/** The environments the app synthesizes, one stack each. */
export const STAGES = ['dev', 'prod', 'local'] as const;

/** One of {@link STAGES}. */
export type Stage = (typeof STAGES)[number];

/** Where Terraform keeps state when the S3 remote backend is enabled. */
export interface RemoteStateConfig {
  readonly bucket: string;
  readonly key: string;
  readonly region: string;
}

/** Everything that differs between environments. The stack reads nothing else. */
export interface StageConfig {
  readonly stage: Stage;
  readonly region: string;
  /**
   * Prefix of every physical name (buckets, table, topics, functions, queues). S3 bucket names are global,
   * so a real deployment picks its own with `NAME_PREFIX`.
   */
  readonly namePrefix: string;
  readonly logRetentionDays: number;
  readonly maxUploadBytes: number;
  readonly transcoder: TranscoderBackend;
  /** Table deletion protection, bucket `force_destroy` off and a 30-day key deletion window. */
  readonly deletionProtection: boolean;
  /** Reserved concurrency per function; undefined leaves functions on the unreserved pool. */
  readonly reservedConcurrency: number | undefined;
  /**
   * Origin the web app is served from: Cognito's callback and logout URLs, CORS on the API and on the
   * upload bucket all name it.
   */
  readonly webOrigin: string;
  /** Further origins allowed the same way, for the Vite dev server (`npm run dev:web`). */
  readonly devWebOrigins: readonly string[];
  /** S3 remote backend; undefined keeps Terraform's local backend. */
  readonly remoteState: RemoteStateConfig | undefined;
  /** HTTP API stage throttling: steady requests per second and burst, across all callers. */
  readonly apiThrottle: { readonly rateLimit: number; readonly burstLimit: number };
  /**
   * How the API hands out playback URLs: `cdn` (CloudFront, CDN_DOMAIN set) or `presigned`
   * (short-lived S3 GETs; the local cloud has no CloudFront).
   */
  readonly playback: 'cdn' | 'presigned';
}

const GIB = 1024 ** 3;

/** Where the local cloud serves the built web app (`npm start`). */
export const LOCAL_WEB_ORIGIN = 'http://127.0.0.1:4173';
/** Where `npm run dev:web` serves the app from Vite's dev server. */
export const LOCAL_DEV_WEB_ORIGIN = 'http://127.0.0.1:5173';

/** Path of the OpenID redirect (the web app's `/callback` route). */
export const WEB_CALLBACK_PATH = '/callback';

/** Every origin the web app may run on in a stage: the served app first, then the dev servers. */
export function webOrigins(config: Pick<StageConfig, 'webOrigin' | 'devWebOrigins'>): string[] {
  return [config.webOrigin, ...config.devWebOrigins];
}

const DEFAULTS: Readonly<Record<Stage, StageConfig>> = {
  dev: {
    stage: 'dev',
    region: 'us-east-1',
    namePrefix: '24hv-dev',
    logRetentionDays: 14,
    maxUploadBytes: 2 * GIB,
    transcoder: 'mediaconvert',
    deletionProtection: false,
    reservedConcurrency: 5,
    webOrigin: 'http://localhost:5173',
    devWebOrigins: [],
    remoteState: undefined,
    apiThrottle: { rateLimit: 20, burstLimit: 40 },
    playback: 'cdn',
  },
  prod: {
    stage: 'prod',
    region: 'us-east-1',
    namePrefix: '24hv-prod',
    logRetentionDays: 365,
    maxUploadBytes: 5 * GIB,
    transcoder: 'mediaconvert',
    deletionProtection: true,
    reservedConcurrency: 50,
    webOrigin: 'https://24hourvideo.example.com',
    devWebOrigins: [],
    remoteState: undefined,
    apiThrottle: { rateLimit: 200, burstLimit: 400 },
    playback: 'cdn',
  },
  local: {
    stage: 'local',
    region: 'us-east-1',
    namePrefix: '24hv-local',
    logRetentionDays: 1,
    maxUploadBytes: 2 * GIB,
    transcoder: 'mediaconvert',
    deletionProtection: false,
    reservedConcurrency: undefined,
    // `npm start` serves the built app here; `npm run dev:web` serves Vite's dev server on 5173.
    webOrigin: LOCAL_WEB_ORIGIN,
    devWebOrigins: [LOCAL_DEV_WEB_ORIGIN],
    remoteState: undefined,
    apiThrottle: { rateLimit: 50, burstLimit: 100 },
    playback: 'presigned',
  },
};

/** Variables that override the typed defaults at synth time. */
export const CONFIG_ENV = {
  /** `mediaconvert` or `elastic-transcoder`; the same variable the local cloud and `transcode-video` read. */
  TRANSCODER: 'VIDEO_TRANSCODER',
  /** Overrides the physical-name prefix (bucket names are global). */
  NAME_PREFIX: 'NAME_PREFIX',
  /** Enables the S3 remote backend for `dev`/`prod`: the state bucket's name. */
  STATE_BUCKET: 'TF_STATE_BUCKET',
} as const;

/** A stage's configuration is invalid; the message names the setting and the accepted values. */
export class InfraConfigError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'InfraConfigError';
  }
}

type Env = Readonly<Record<string, string | undefined>>;

/** The configuration of one stage, with the synth-time overrides from `env` applied and validated. */
export function stageConfig(stage: Stage, env: Env = process.env): StageConfig {
  const base = DEFAULTS[stage];
  const transcoder = env[CONFIG_ENV.TRANSCODER]?.trim() || base.transcoder;
  if (!(TRANSCODER_BACKENDS as readonly string[]).includes(transcoder)) {
    throw new InfraConfigError(
      `${CONFIG_ENV.TRANSCODER}="${transcoder}" is not a transcoder backend; use one of ${TRANSCODER_BACKENDS.join(', ')}.`,
    );
  }
  const namePrefix = env[CONFIG_ENV.NAME_PREFIX]?.trim()
    ? `${env[CONFIG_ENV.NAME_PREFIX]?.trim()}-${stage}`
    : base.namePrefix;
  // S3 bucket names: 3-63 characters of a-z, 0-9, '-' (the longest suffix we add is '-transcoded').
  if (!/^[a-z0-9][a-z0-9-]{1,40}$/.test(namePrefix)) {
    throw new InfraConfigError(
      `Name prefix "${namePrefix}" is not usable in bucket names; use 2-41 characters of a-z, 0-9 and '-', starting with a letter or digit.`,
    );
  }
  const stateBucket = env[CONFIG_ENV.STATE_BUCKET]?.trim();
  const remoteState =
    stateBucket && stage !== 'local'
      ? { bucket: stateBucket, key: `24-hour-video/${stage}.tfstate`, region: base.region }
      : base.remoteState;
  return { ...base, transcoder: transcoder as TranscoderBackend, namePrefix, remoteState };
}
