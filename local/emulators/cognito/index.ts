export {
  assertAuthorizerAudience,
  type CognitoClientConfig,
  CognitoStackError,
  cognitoClientFromStack,
  type TokenLifetimes,
} from './from-stack.ts';
export { COGNITO_ROUTES } from './interaction.ts';
export { createMemoryAdapter, type OidcAdapter } from './memory-adapter.ts';
export { API_RESOURCE, type CognitoOptions, type LocalCognito, startCognito } from './provider.ts';
export {
  createLocalIdentityProvider,
  createSigningKey,
  DEV_USER,
  LOCAL_CLIENT_ID,
  LOCAL_ISSUER,
  type LocalIdentityProvider,
  type LocalSigningKey,
  type LocalUser,
  localUser,
  normalizeUsername,
  type TokenOptions,
} from './tokens.ts';
