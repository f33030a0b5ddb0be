export { type SnsResources, snsFromStack } from './from-stack.ts';
export { LocalSns, type SnsSubscription, startSns } from './sns.ts';
