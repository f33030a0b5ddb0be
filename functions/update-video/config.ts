/**
 * This function answers with a video's view, so it reads the catalogue's environment; it tags the
 * outputs in the transcoded bucket the catalogue config names.
 */
export {
  CATALOGUE_ENV_READS as ENV_READS,
  type CatalogueConfig,
  readCatalogueConfig as readConfig,
} from '#shared/playback';
