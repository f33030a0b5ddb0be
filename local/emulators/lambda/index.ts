export { type LocalLambdaApi, startLambdaApi } from './api.ts';
export { deployFunctions, type FunctionEndpoints } from './deploy.ts';
export { type OnFailureRecord, onFailureRecord } from './destination.ts';
export {
  type FunctionDeclaration,
  type InvokePermission,
  type LambdaResources,
  type LayerDeclaration,
  lambdaFromStack,
  readInvokePermissions,
} from './from-stack.ts';
export { type LambdaOptions, type LocalLambda, startLambda } from './lambda.ts';
export { invokeRefusal } from './permissions.ts';
export { LambdaRunner } from './runner.ts';
export type { DeadLetter, FunctionSpec, InvokeResult } from './types.ts';
