/**
 * The static import graph of a set of TypeScript files: an edge for every `import … from`, `export … from`,
 * side-effect `import '…'` and `import('…')` whose specifier resolves, relatively or through the package's
 * path aliases (`#infra/*`, …), to another file of the set. Type-only imports count: a circle of types is
 * as hard to read as one of values.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)'([^']+)'/gm;

/** Every `.ts` file under `dir`, recursively. */
function typescriptFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return typescriptFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** Resolves a `#…` specifier through the `imports` of `package.json` (exact keys first, then patterns). */
function resolveAlias(specifier: string, root: string, aliases: Record<string, string>): string | undefined {
  const exact = aliases[specifier];
  if (exact) return resolve(root, exact);
  for (const [key, target] of Object.entries(aliases)) {
    const star = key.indexOf('*');
    if (star < 0) continue;
    const [prefix, suffix] = [key.slice(0, star), key.slice(star + 1)];
    if (specifier.startsWith(prefix) && specifier.endsWith(suffix) && specifier.length >= key.length - 1) {
      const match = specifier.slice(prefix.length, specifier.length - suffix.length);
      return resolve(root, target.replace('*', match));
    }
  }
  return undefined;
}

/**
 * File → the files of the set it imports, for every `.ts` file under `folders` (relative to `root`).
 * Nodes are paths relative to `root`, so a failure reads `infra/a.ts → infra/b.ts → infra/a.ts`.
 */
export function importGraph(root: string, folders: readonly string[]): Map<string, Set<string>> {
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    imports?: Record<string, string>;
  };
  const aliases = manifest.imports ?? {};
  const files = folders.flatMap((folder) => typescriptFiles(join(root, folder)));
  const known = new Set(files);
  const graph = new Map<string, Set<string>>();
  for (const file of files) {
    const edges = new Set<string>();
    for (const [, specifier] of readFileSync(file, 'utf8').matchAll(SPECIFIER)) {
      if (!specifier) continue;
      const target = specifier.startsWith('.')
        ? resolve(dirname(file), specifier)
        : specifier.startsWith('#')
          ? resolveAlias(specifier, root, aliases)
          : undefined;
      if (target && known.has(target) && target !== file) edges.add(relative(root, target));
    }
    graph.set(relative(root, file), edges);
  }
  return graph;
}
