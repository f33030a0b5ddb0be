export {
  assertAuthorizerAudience,
  type CognitoClientConfig,
  CognitoStackError,
  cognitoClientFromStack,
  type TokenLifetimes,
} from './client.ts';
export { createMemoryAdapter, type OidcAdapter } from './memory-adapter.ts';
export {
  API_RESOURCE,
  COGNITO_ROUTES,
  type CognitoEmulator,
  type CognitoEmulatorOptions,
  startCognitoEmulator,
} from './provider.ts';
