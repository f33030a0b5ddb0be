import { SynthesizedStack } from '#local/stack';

type Json = Record<string, unknown>;

/**
 * A copy of the stack in which every function that declares `variable` in its environment has it set
 * to `value` (how `bench:cost` switches `RENDITION_LADDER` without synthesizing another stack).
 * Throws when no function declares it.
 */
export function withEnvironment(stack: SynthesizedStack, variable: string, value: string): SynthesizedStack {
  const json = structuredClone(stack.json) as Json;
  const functions = ((json.resource as Json | undefined)?.aws_lambda_function ?? {}) as Record<string, Json>;
  let changed = 0;
  for (const fn of Object.values(functions)) {
    const environment = [fn.environment].flat()[0] as { variables?: Record<string, unknown> } | undefined;
    if (environment?.variables && variable in environment.variables) {
      environment.variables[variable] = value;
      changed++;
    }
  }
  if (changed === 0)
    throw new Error(
      `No function of the stack declares ${variable}; is the stack synthesized from this branch?`,
    );
  return new SynthesizedStack(json, stack.directory);
}
