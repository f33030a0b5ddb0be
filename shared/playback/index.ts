export {
  CATALOGUE_ENV_READS,
  type CatalogueConfig,
  catalogueReader,
  readCatalogueConfig,
} from './reader.ts';
export type { PlaybackUrls } from './urls.ts';
export {
  canRead,
  isOwner,
  toVideoSummary,
  toVideoView,
  type VideoSummary,
  type VideoView,
} from './view.ts';
