export { type ElasticTranscoderResources, elasticTranscoderFromStack } from './from-stack.ts';
export type { Publish } from './jobs.ts';
export type { PipelineSpec } from './pipelines.ts';
export { SYSTEM_PRESETS, type SystemPreset } from './presets.ts';
export { type LocalElasticTranscoder, startElasticTranscoder } from './server.ts';
