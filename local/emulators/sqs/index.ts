export { type SqsResources, sqsFromStack } from './from-stack.ts';
export type { QueueSpec } from './queues.ts';
export { type LocalSqs, startSqs } from './server.ts';
