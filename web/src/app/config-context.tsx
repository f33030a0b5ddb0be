import { createContext, useContext } from 'react';
import type { AppConfig } from './config.ts';

/** The runtime configuration, once loaded and checked. */
export const ConfigContext = createContext<AppConfig | undefined>(undefined);

/** The runtime configuration; only rendered below a loaded config. */
export function useConfig(): AppConfig {
  const config = useContext(ConfigContext);
  if (!config) throw new Error('useConfig() needs a <ConfigContext.Provider> above it.');
  return config;
}
