import { type IAspect, TerraformStack } from 'cdktf';
import type { IConstruct } from 'constructs';
import { CHECKS, type Check, runChecks, type TerraformJson, type Violation } from './checks.ts';

/** A stack breaks one or more policy checks; synthesis stops and lists every violation. */
export class PolicyViolationError extends Error {
  readonly violations: readonly Violation[];

  constructor(stack: string, violations: readonly Violation[], options?: { cause?: unknown }) {
    super(
      `Stack "${stack}" fails ${violations.length} policy check(s):\n${violations
        .map((v) => `  ${v.rule}: ${v.address} ${v.message}`)
        .join('\n')}`,
      options,
    );
    this.name = 'PolicyViolationError';
    this.violations = violations;
  }
}

/**
 * Rejects synthesis of any stack that breaks a check in `checks/` (public access block, KMS, TLS-only,
 * wildcard IAM, async functions without a dead-letter destination, ...). Applied to the stack, it reads
 * the stack's Terraform JSON once every construct has added its part.
 */
export class PolicyChecks implements IAspect {
  constructor(private readonly checks: readonly Check[] = CHECKS) {}

  visit(node: IConstruct): void {
    if (!(node instanceof TerraformStack)) return;
    const tf = node.toTerraform();
    const violations = runChecks(tf as TerraformJson, this.checks);
    if (violations.length > 0) throw new PolicyViolationError(node.node.id, violations);
    // Synthesis calls toTerraform() again right after the aspects, with nothing changed in between;
    // resolving every token twice is a third of the synth time. The next synthesis re-runs this aspect.
    const stack = node;
    stack.toTerraform = () => {
      stack.toTerraform = TerraformStack.prototype.toTerraform;
      return tf;
    };
  }
}
