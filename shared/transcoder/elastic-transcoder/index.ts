export {
  cancelElasticTranscoderJob,
  ELASTIC_TRANSCODER_CANNOT_PROBE,
  type ElasticTranscoderDeps,
  ElasticTranscoderTranscoder,
  readElasticTranscoderJob,
} from './adapter.ts';
export { parseElasticTranscoderNotification } from './events.ts';
export { buildCreateJobRequest } from './job-settings.ts';
export { ELASTIC_TRANSCODER_PRESETS } from './presets.ts';
