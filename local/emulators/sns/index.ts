export { type SnsResources, snsFromStack } from './from-stack.ts';
export { type LocalSns, type SnsSubscription, startSns } from './sns.ts';
