/** This function reads the catalogue: its environment is the one every catalogue reader has. */
export {
  CATALOGUE_ENV_READS as ENV_READS,
  type CatalogueConfig,
  readCatalogueConfig as readConfig,
} from '#shared/playback';
