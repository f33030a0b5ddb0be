/**
 * The root-import variant of the benchmark: rewrites `@cdktf/provider-aws/lib/<x>` imports to the
 * provider's root import, in a temporary copy only (lint forbids root imports in source).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

/** The provider's root index maps each namespace to its module: `s3Bucket` → `./s3-bucket`. */
export function rootNamespaces(): Map<string, string> {
  const require = createRequire(import.meta.url);
  const index = readFileSync(require.resolve(PROVIDER_PACKAGE), 'utf8');
  const map = new Map<string, string>();
  for (const m of index.matchAll(/exports\.(\w+) = require\("\.\/([^"]+)"\)/g))
    map.set(m[2] as string, m[1] as string);
  return map;
}

/** The package whose root import the variant uses (a constant, so no source line imports the root). */
export const PROVIDER_PACKAGE = '@cdktf/provider-aws';

const DEEP_IMPORT = /import\s*\{([^}]*)\}\s*from\s*'@cdktf\/provider-aws\/lib\/([^']+)';/g;

/** Rewrites deep provider imports of one source file to the root import. */
export function toRootImports(source: string, namespaces: Map<string, string>): string {
  return source.replace(DEEP_IMPORT, (_all, names: string, path: string) => {
    const ns = namespaces.get(path);
    if (!ns) throw new Error(`no root namespace for @cdktf/provider-aws/lib/${path}`);
    const values = names
      .split(',')
      .map((n) => n.trim())
      .filter((n) => n && !n.startsWith('type '))
      .map((n) => n.replace(/\s+as\s+/, ': '));
    return `import { ${ns} as __root_${ns} } from '${PROVIDER_PACKAGE}';\nconst { ${values.join(', ')} } = __root_${ns};`;
  });
}
