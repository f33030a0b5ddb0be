import { isObject } from '#shared/json';
/**
 * Reads `terraform show -json <planfile>` output and checks that it is a plan in a format we understand.
 * Format: https://developer.hashicorp.com/terraform/internals/json-format
 */

/** One step of the actions Terraform plans for an object. */
export type Action = 'no-op' | 'create' | 'read' | 'update' | 'delete' | 'forget';

const ACTIONS: ReadonlySet<string> = new Set(['no-op', 'create', 'read', 'update', 'delete', 'forget']);

/** The change representation shared by resource changes, drift and output changes. */
export interface Change {
  actions: Action[];
  before?: unknown;
  after?: unknown;
  after_unknown?: unknown;
  before_sensitive?: unknown;
  after_sensitive?: unknown;
  replace_paths?: (string | number)[][];
  importing?: { id?: string };
}

/** One entry of `resource_changes` or `resource_drift`. */
export interface ResourceChange {
  address: string;
  previous_address?: string;
  module_address?: string;
  mode?: 'managed' | 'data';
  type: string;
  name: string;
  index?: string | number;
  deposed?: string;
  change: Change;
  action_reason?: string;
}

/** The parts of a JSON plan the review reads; everything else is ignored, as the format asks. */
export interface Plan {
  format_version: string;
  terraform_version?: string;
  resource_changes?: ResourceChange[];
  resource_drift?: ResourceChange[];
  output_changes?: Record<string, Change>;
  errored?: boolean;
  applyable?: boolean;
  complete?: boolean;
}

/** The input is not a Terraform JSON plan (or not one of a supported format version). */
export class PlanInputError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PlanInputError';
  }
}

function checkChange(change: unknown, where: string, source: string): void {
  if (!isObject(change)) {
    throw new PlanInputError(`${source}: ${where} is missing or not an object.`);
  }
  const actions = change.actions;
  if (!Array.isArray(actions) || actions.length === 0) {
    throw new PlanInputError(`${source}: ${where}.actions must be a non-empty array.`);
  }
  for (const action of actions) {
    if (typeof action !== 'string' || !ACTIONS.has(action)) {
      throw new PlanInputError(
        `${source}: ${where}.actions contains ${JSON.stringify(action)}, which is not a Terraform action (${[...ACTIONS].join(', ')}).`,
      );
    }
  }
}

function checkResourceChanges(value: unknown, field: string, source: string): void {
  if (value === undefined) return;
  if (!Array.isArray(value)) throw new PlanInputError(`${source}: ${field} must be an array.`);
  value.forEach((entry, i) => {
    const where = `${field}[${i}]`;
    if (!isObject(entry) || typeof entry.address !== 'string' || typeof entry.type !== 'string') {
      throw new PlanInputError(`${source}: ${where} has no address or type; is this a Terraform JSON plan?`);
    }
    checkChange(entry.change, `${where}.change (${entry.address})`, source);
  });
}

/**
 * Parses the text of a JSON plan. `source` names the input in error messages.
 * Throws {@link PlanInputError} for anything that is not a plan: a binary plan file, a state file, other JSON.
 */
export function parsePlan(text: string, source: string): Plan {
  if (text.startsWith('PK')) {
    throw new PlanInputError(
      `${source} is a binary plan file. Convert it first: terraform show -json ${source} > plan.json`,
    );
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new PlanInputError(
      `${source} is not JSON (${(error as Error).message}). Pass the output of terraform show -json <planfile>.`,
      { cause: error },
    );
  }
  if (!isObject(data) || typeof data.format_version !== 'string') {
    throw new PlanInputError(
      `${source} has no format_version, so it is not a Terraform JSON plan. Pass the output of terraform show -json <planfile>.`,
    );
  }
  const major = data.format_version.split('.')[0];
  if (major !== '1' && major !== '0') {
    throw new PlanInputError(
      `${source} uses JSON format version ${data.format_version}; only major version 1 is supported (the format's rule is to reject unknown major versions).`,
    );
  }
  if (!('planned_values' in data) && !('resource_changes' in data) && !('output_changes' in data)) {
    const hint =
      'values' in data ? ' It looks like a state file (terraform show -json without a plan file).' : '';
    throw new PlanInputError(
      `${source} is Terraform JSON but not a plan: it has no planned_values, resource_changes or output_changes.${hint}`,
    );
  }
  checkResourceChanges(data.resource_changes, 'resource_changes', source);
  checkResourceChanges(data.resource_drift, 'resource_drift', source);
  if (data.output_changes !== undefined) {
    if (!isObject(data.output_changes))
      throw new PlanInputError(`${source}: output_changes must be an object.`);
    for (const [name, change] of Object.entries(data.output_changes)) {
      checkChange(change, `output_changes.${name}`, source);
    }
  }
  return data as unknown as Plan;
}
