/**
 * The dependency graph Terraform builds from a configuration: an edge for every reference inside an
 * interpolation (`${aws_x.name.attr}`, `${data.aws_y.name.attr}`) and every `depends_on` entry.
 */

// biome-ignore lint/suspicious/noExplicitAny: walks arbitrary Terraform JSON
type Json = Record<string, any>;

const INTERPOLATION = /\$\{([^}]*)\}/g;
const REFERENCE = /\b((?:data\.)?aws_[a-z0-9_]+\.[A-Za-z0-9_-]+)\b/g;

/** Resource and data-source addresses (`aws_x.name`, `data.aws_y.name`) → the addresses they depend on. */
export function dependencyGraph(tf: Json): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  const blocks: [string, Json][] = [];
  for (const [type, byName] of Object.entries((tf.resource ?? {}) as Record<string, Json>))
    for (const [name, body] of Object.entries(byName)) blocks.push([`${type}.${name}`, body]);
  for (const [type, byName] of Object.entries((tf.data ?? {}) as Record<string, Json>))
    for (const [name, body] of Object.entries(byName)) blocks.push([`data.${type}.${name}`, body]);
  const known = new Set(blocks.map(([address]) => address));
  for (const [address, body] of blocks) {
    const { depends_on: dependsOn, ...rest } = body;
    const edges = new Set<string>((dependsOn ?? []) as string[]);
    for (const [, expression] of JSON.stringify(rest).matchAll(INTERPOLATION))
      for (const [, ref] of (expression ?? '').matchAll(REFERENCE)) if (ref && known.has(ref)) edges.add(ref);
    edges.delete(address);
    graph.set(address, edges);
  }
  return graph;
}

/** A dependency cycle of the graph (its addresses, first repeated at the end), or undefined when there is none. */
export function findCycle(graph: Map<string, Set<string>>): string[] | undefined {
  const state = new Map<string, 'visiting' | 'done'>();
  const path: string[] = [];
  const visit = (node: string): string[] | undefined => {
    if (state.get(node) === 'done') return undefined;
    if (state.get(node) === 'visiting') return [...path.slice(path.indexOf(node)), node];
    state.set(node, 'visiting');
    path.push(node);
    for (const next of graph.get(node) ?? []) {
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    path.pop();
    state.set(node, 'done');
    return undefined;
  };
  for (const node of graph.keys()) {
    const cycle = visit(node);
    if (cycle) return cycle;
  }
  return undefined;
}

/** True when `from` depends on `to`, directly or through other resources. */
export function dependsOn(graph: Map<string, Set<string>>, from: string, to: string): boolean {
  const seen = new Set<string>();
  const stack = [...(graph.get(from) ?? [])];
  while (stack.length > 0) {
    const node = stack.pop() as string;
    if (node === to) return true;
    if (seen.has(node)) continue;
    seen.add(node);
    stack.push(...(graph.get(node) ?? []));
  }
  return false;
}
