// The port alone: the library's index also loads both SDK adapters, a tenth of the synth time.
import { TRANSCODER_BACKENDS, type TranscoderBackend } from '#shared/transcoder/port';
import { RENDITION_LADDERS, type RenditionLadder } from '#shared/video';

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

/** A custom domain for a CloudFront distribution (the web app's, or the renditions'). */
export interface CustomDomain {
  /** Host name, e.g. `video.example.com`; its DNS points at the `web_distribution_domain` output. */
  readonly name: string;
  /** ACM certificate covering `name`, in us-east-1: CloudFront takes certificates from there only. */
  readonly certificateArn: string;
}

/**
 * How a stage serves the web app. `cloudfront`: the web-hosting construct uploads `web/dist` to a
 * private bucket behind CloudFront, at `https://<custom domain>` or else the distribution's own domain.
 * `local`: infra hosts nothing; the local cloud serves `web/dist` itself at `origin`.
 */
export type WebHostingConfig =
  | { readonly hosting: 'cloudfront'; readonly customDomain: CustomDomain | undefined }
  | { readonly hosting: 'local'; readonly origin: string };

/** Where an identity provider's secret comes from at plan time; never from the repository. */
export type SecretSource =
  /** A sensitive Terraform variable of that name, set with `TF_VAR_<name>` or an untracked `.tfvars`. */
  | { readonly variable: string }
  /** An SSM Parameter Store SecureString of that name, read with decryption. */
  | { readonly ssmParameter: string };

interface IdentityProviderBase {
  /** The client (app) id registered at the provider; not a secret. */
  readonly clientId: string;
  /** Scopes asked of the provider; each type has a default that includes the e-mail address. */
  readonly scopes?: readonly string[];
  /** Extra user-pool attribute → provider claim mappings, beside the e-mail ones every provider gets. */
  readonly attributeMapping?: Readonly<Record<string, string>>;
}

/**
 * One external identity provider of the user pool. Google, Facebook and Sign in with Apple take their
 * type as their name (Cognito requires it); an OIDC provider is named by `name`.
 */
export type IdentityProviderConfig =
  | (IdentityProviderBase & { readonly type: 'Google'; readonly clientSecret: SecretSource })
  | (IdentityProviderBase & {
      readonly type: 'Facebook';
      readonly clientSecret: SecretSource;
      /** Graph API version, e.g. `v21.0`; Cognito's default when absent. */
      readonly apiVersion?: string;
    })
  | (IdentityProviderBase & {
      readonly type: 'SignInWithApple';
      /** The Apple developer team id (10 characters). */
      readonly teamId: string;
      /** The id of the Sign in with Apple private key (10 characters). */
      readonly keyId: string;
      /** The private key (PEM), Apple's equivalent of a client secret. */
      readonly privateKey: SecretSource;
    })
  | (IdentityProviderBase & {
      readonly type: 'OIDC';
      /** The provider's name in the hosted UI and in `identity_provider=`; 1-32 characters. */
      readonly name: string;
      /** The provider's issuer URL (its discovery document lives under it). */
      readonly issuer: string;
      readonly clientSecret: SecretSource;
    });

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
  /**
   * `source`: each video gets only the renditions its source can fill (MediaConvert probes it first);
   * `full`: every rendition, to compare what the ladder saves.
   */
  readonly renditionLadder: RenditionLadder;
  /** Table deletion protection, bucket `force_destroy` off and a 30-day key deletion window. */
  readonly deletionProtection: boolean;
  /** Reserved concurrency per function; undefined leaves functions on the unreserved pool. */
  readonly reservedConcurrency: number | undefined;
  /**
   * Who serves the web app, and so its origin: Cognito's callback and logout URLs, CORS on the API and
   * on the upload bucket all name it.
   */
  readonly web: WebHostingConfig;
  /** Further origins allowed the same way, for the Vite dev server (`npm run dev:web`). */
  readonly devWebOrigins: readonly string[];
  /** External sign-in (Google, Apple, Facebook, OIDC) the hosted UI offers beside e-mail and password. */
  readonly identityProviders: readonly IdentityProviderConfig[];
  /** S3 remote backend; undefined keeps Terraform's local backend. */
  readonly remoteState: RemoteStateConfig | undefined;
  /** HTTP API stage throttling: steady requests per second and burst, across all callers. */
  readonly apiThrottle: { readonly rateLimit: number; readonly burstLimit: number };
  /**
   * How the API hands out playback URLs: `cdn` (CloudFront, CDN_DOMAIN set) or `presigned`
   * (short-lived S3 GETs; the local cloud has no CloudFront).
   */
  readonly playback: 'cdn' | 'presigned';
  /**
   * Serve the renditions at this domain (its certificate requires TLS 1.2); undefined: at the
   * distribution's own `*.cloudfront.net` domain, whose certificate also accepts TLS 1.0 and 1.1.
   */
  readonly mediaDomain: CustomDomain | undefined;
}

const GIB = 1024 ** 3;

/** Where the local cloud serves the built web app (`npm start`). */
export const LOCAL_WEB_ORIGIN = 'http://127.0.0.1:4173';
/** Where `npm run dev:web` serves the app from Vite's dev server. */
export const LOCAL_DEV_WEB_ORIGIN = 'http://127.0.0.1:5173';
/**
 * The Vite dev server as a deployed stage registers it: Cognito accepts plain-HTTP callback URLs only
 * for `http://localhost`, so `npm run dev:web` against a deployed stack is opened at this origin.
 */
export const LOCALHOST_DEV_WEB_ORIGIN = 'http://localhost:5173';

/** Path of the OpenID redirect (the web app's `/callback` route). */
export const WEB_CALLBACK_PATH = '/callback';

/** The origins of a stage's web app: where it is served, and the dev servers allowed beside it. */
export interface WebOrigins {
  /** The served app's origin; for a CloudFront-hosted stage without a custom domain, a Terraform reference. */
  readonly webOrigin: string;
  readonly devWebOrigins: readonly string[];
}

/** Every origin the web app may run on in a stage: the served app first, then the dev servers. */
export function webOrigins(origins: WebOrigins): string[] {
  return [origins.webOrigin, ...origins.devWebOrigins];
}

const DEFAULTS: Readonly<Record<Stage, StageConfig>> = {
  dev: {
    stage: 'dev',
    region: 'us-east-1',
    namePrefix: '24hv-dev',
    logRetentionDays: 14,
    maxUploadBytes: 2 * GIB,
    transcoder: 'mediaconvert',
    renditionLadder: 'source',
    deletionProtection: false,
    reservedConcurrency: 5,
    web: { hosting: 'cloudfront', customDomain: undefined },
    devWebOrigins: [LOCALHOST_DEV_WEB_ORIGIN],
    identityProviders: [],
    remoteState: undefined,
    apiThrottle: { rateLimit: 20, burstLimit: 40 },
    playback: 'cdn',
    mediaDomain: undefined,
  },
  prod: {
    stage: 'prod',
    region: 'us-east-1',
    namePrefix: '24hv-prod',
    logRetentionDays: 365,
    maxUploadBytes: 5 * GIB,
    transcoder: 'mediaconvert',
    renditionLadder: 'source',
    deletionProtection: true,
    reservedConcurrency: 50,
    web: { hosting: 'cloudfront', customDomain: undefined },
    devWebOrigins: [],
    identityProviders: [],
    remoteState: undefined,
    apiThrottle: { rateLimit: 200, burstLimit: 400 },
    playback: 'cdn',
    mediaDomain: undefined,
  },
  local: {
    stage: 'local',
    region: 'us-east-1',
    namePrefix: '24hv-local',
    logRetentionDays: 1,
    maxUploadBytes: 2 * GIB,
    transcoder: 'mediaconvert',
    renditionLadder: 'source',
    deletionProtection: false,
    reservedConcurrency: undefined,
    // `npm start` serves the built app here; `npm run dev:web` serves Vite's dev server on 5173.
    web: { hosting: 'local', origin: LOCAL_WEB_ORIGIN },
    devWebOrigins: [LOCAL_DEV_WEB_ORIGIN],
    identityProviders: [],
    remoteState: undefined,
    apiThrottle: { rateLimit: 50, burstLimit: 100 },
    playback: 'presigned',
    mediaDomain: undefined,
  },
};

/** Variables that override the typed defaults at synth time. */
export const CONFIG_ENV = {
  /** `mediaconvert` or `elastic-transcoder`; the same variable the local cloud and `transcode-video` read. */
  TRANSCODER: 'VIDEO_TRANSCODER',
  /** `source` or `full`: the stage's `renditionLadder`; the same variable `transcode-video` reads. */
  RENDITION_LADDER: 'RENDITION_LADDER',
  /** Overrides the physical-name prefix (bucket names are global). */
  NAME_PREFIX: 'NAME_PREFIX',
  /** Enables the S3 remote backend for `dev`/`prod`: the state bucket's name. */
  STATE_BUCKET: 'TF_STATE_BUCKET',
  /** Serves the web app of `dev`/`prod` at this host name instead of the distribution's own domain. */
  WEB_DOMAIN: 'WEB_DOMAIN',
  /** The us-east-1 ACM certificate for {@link CONFIG_ENV.WEB_DOMAIN}; required with it. */
  WEB_CERTIFICATE_ARN: 'WEB_CERTIFICATE_ARN',
  /** Serves the renditions of `dev`/`prod` at this host name instead of the distribution's own domain. */
  MEDIA_DOMAIN: 'MEDIA_DOMAIN',
  /** The us-east-1 ACM certificate for {@link CONFIG_ENV.MEDIA_DOMAIN}; required with it. */
  MEDIA_CERTIFICATE_ARN: 'MEDIA_CERTIFICATE_ARN',
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
  const renditionLadder = env[CONFIG_ENV.RENDITION_LADDER]?.trim() || base.renditionLadder;
  if (!(RENDITION_LADDERS as readonly string[]).includes(renditionLadder)) {
    throw new InfraConfigError(
      `${CONFIG_ENV.RENDITION_LADDER}="${renditionLadder}" is not a rendition ladder; use one of ${RENDITION_LADDERS.join(', ')}.`,
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
  return {
    ...base,
    transcoder: transcoder as TranscoderBackend,
    renditionLadder: renditionLadder as RenditionLadder,
    namePrefix,
    remoteState,
    web: webHosting(base.web, env),
    // The local cloud has no CloudFront: a deployment's domain settings do not apply to it.
    mediaDomain:
      stage === 'local'
        ? undefined
        : customDomain(env, CONFIG_ENV.MEDIA_DOMAIN, CONFIG_ENV.MEDIA_CERTIFICATE_ARN, 'the renditions'),
  };
}

const HOST_NAME = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
// CloudFront reads viewer certificates from ACM in us-east-1 only.
const CLOUDFRONT_CERTIFICATE = /^arn:aws:acm:us-east-1:\d{12}:certificate\/[0-9a-f-]{36}$/;

function webHosting(base: WebHostingConfig, env: Env): WebHostingConfig {
  // The local cloud serves the app itself: a deployment's domain settings do not apply to it.
  if (base.hosting === 'local') return base;
  const domain = customDomain(env, CONFIG_ENV.WEB_DOMAIN, CONFIG_ENV.WEB_CERTIFICATE_ARN, 'the web app');
  return domain ? { hosting: 'cloudfront', customDomain: domain } : base;
}

/** A domain and its certificate from two variables that go together, validated; undefined when neither is set. */
function customDomain(
  env: Env,
  nameVar: string,
  certificateVar: string,
  what: string,
): CustomDomain | undefined {
  const name = env[nameVar]?.trim().toLowerCase();
  const certificateArn = env[certificateVar]?.trim();
  if (!name && !certificateArn) return undefined;
  if (!name || !certificateArn) {
    throw new InfraConfigError(
      `${nameVar} and ${certificateVar} go together: set both to serve ${what} at a custom domain, or neither.`,
    );
  }
  if (!HOST_NAME.test(name)) {
    throw new InfraConfigError(
      `${nameVar}="${name}" is not a host name; use one like video.example.com (no scheme, no path).`,
    );
  }
  if (!CLOUDFRONT_CERTIFICATE.test(certificateArn)) {
    throw new InfraConfigError(
      `${certificateVar}="${certificateArn}" is not an ACM certificate ARN in us-east-1 (arn:aws:acm:us-east-1:<account>:certificate/<id>); CloudFront uses certificates from us-east-1 only.`,
    );
  }
  return { name, certificateArn };
}
