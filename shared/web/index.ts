export { RUNTIME_CONFIG_PATH, type WebRuntimeConfig } from './runtime-config.ts';
export {
  contentSecurityPolicy,
  FRAME_OPTIONS,
  HSTS_MAX_AGE_SECONDS,
  InvalidContentSourceError,
  REFERRER_POLICY,
  securityHeaders,
  strictTransportSecurity,
  type WebContentSources,
} from './security-headers.ts';
export { contentTypeOf, HASHED_ASSETS_DIR, IMMUTABLE, NO_CACHE } from './static-files.ts';
