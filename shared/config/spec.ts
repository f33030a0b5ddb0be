import type { EnvName } from './names.ts';
import {
  type Env,
  optionalBoolean,
  optionalString,
  requireOneOf,
  requirePositiveInt,
  requireString,
} from './readers.ts';

/** One setting of a function's config: the variables it reads, and how it turns them into its value. */
export interface Setting<T> {
  readonly names: readonly EnvName[];
  readonly read: (env: Env) => T;
}

/** The settings of a config type, one per field; an optional field's setting may give undefined. */
export type ConfigSpec<C> = { readonly [K in keyof C]-?: Setting<C[K]> };

/** A function's whole config as one {@link Setting}: `names` is its `ENV_READS`, `read` its `readConfig`. */
export interface ConfigDefinition<C> extends Setting<C> {
  readonly read: (env?: Env) => C;
}

/** The settings a spec is written with; each reads its variable through the checks of `#shared/config`. */
export const setting = {
  /** A required string. */
  string: (name: EnvName): Setting<string> => ({ names: [name], read: (env) => requireString(name, env) }),
  /** An optional string; empty counts as unset. */
  optionalString: (name: EnvName): Setting<string | undefined> => ({
    names: [name],
    read: (env) => optionalString(name, env),
  }),
  /** A required positive integer. */
  positiveInt: (name: EnvName): Setting<number> => ({
    names: [name],
    read: (env) => requirePositiveInt(name, env),
  }),
  /** An optional boolean, `fallback` when unset. */
  boolean: (name: EnvName, fallback: boolean): Setting<boolean> => ({
    names: [name],
    read: (env) => optionalBoolean(name, fallback, env),
  }),
  /** A required value out of `allowed`. */
  oneOf: <const T extends string>(name: EnvName, allowed: readonly T[]): Setting<T> => ({
    names: [name],
    read: (env) => requireOneOf(name, allowed, env),
  }),
  /** A value no variable sets, such as the tag of a {@link setting.choice} variant. */
  fixed: <const T>(value: T): Setting<T> => ({ names: [], read: () => value }),
  /**
   * The variant `choice` names: only that variant's variables are read (and required), while `names`
   * lists every variant's, since the stack may deploy any of them.
   */
  choice: <const V extends string, T>(
    choice: Setting<V>,
    variants: { readonly [K in V]: Setting<T> },
  ): Setting<T> => ({
    names: unique([...choice.names, ...Object.values<Setting<T>>(variants).flatMap((v) => v.names)]),
    read: (env) => variants[choice.read(env)].read(env),
  }),
};

/**
 * A config read from its spec, so the variables a function reads and the list infra checks against
 * (`ENV_READS`) cannot drift apart. Settings are read in the spec's order and an undefined value
 * leaves its field out.
 */
export function defineConfig<C>(spec: ConfigSpec<C>): ConfigDefinition<C> {
  const settings = Object.entries(spec) as [string, Setting<unknown>][];
  return {
    names: unique(settings.flatMap(([, s]) => s.names)),
    read: (env = process.env) => {
      const config: Record<string, unknown> = {};
      for (const [field, s] of settings) {
        const value = s.read(env);
        if (value !== undefined) config[field] = value;
      }
      return config as C;
    },
  };
}

function unique(names: readonly EnvName[]): readonly EnvName[] {
  return [...new Set(names)];
}
