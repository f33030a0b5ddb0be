export { ConfigError } from './errors.ts';
export { ENV, type EnvName } from './names.ts';
export {
  type Env,
  optionalBoolean,
  optionalString,
  requireOneOf,
  requirePositiveInt,
  requireString,
} from './readers.ts';
export { type ConfigDefinition, type ConfigSpec, defineConfig, type Setting, setting } from './spec.ts';
