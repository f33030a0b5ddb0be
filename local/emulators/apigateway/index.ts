export { type AuthorizerResult, authorizeRequest, type JwtAuthorizerConfig } from './authorizer.ts';
export { type LocalCloudApi, startLocalCloudApi } from './cloud-api.ts';
export { buildApiEvent } from './event.ts';
export { apiFromStack, LocalApiStackError, type StackApi } from './from-stack.ts';
export { DEV_TOKEN_TTL_SECONDS, localApiInstructions } from './instructions.ts';
export {
  type AccessLogEntry,
  type InvokeFunction,
  type LocalApi,
  type LocalApiOptions,
  mapResult,
  startLocalApi,
} from './server.ts';
