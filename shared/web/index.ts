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
