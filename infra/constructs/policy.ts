import { Lazy } from 'cdktf';

/** A condition block: operator → key → value(s). */
export type Conditions = Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;

/** One IAM policy statement, in the JSON shape AWS reads. */
export interface Statement {
  readonly Sid?: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Principal?: '*' | Readonly<Record<string, string | readonly string[]>>;
  readonly Action: readonly string[];
  readonly Resource: readonly string[];
  readonly Condition?: Conditions;
}

/**
 * Statements that are rendered when the stack is synthesized, so constructs created later (a grant,
 * a CloudFront distribution) can still add theirs. One per policy resource: S3 allows a single bucket
 * policy, and one inline role policy keeps each function's permissions in one reviewable place.
 */
export class PolicyDocument {
  private readonly statements: Statement[] = [];

  constructor(initial: readonly Statement[] = []) {
    this.statements.push(...initial);
  }

  add(...statements: Statement[]): void {
    this.statements.push(...statements);
  }

  get size(): number {
    return this.statements.length;
  }

  /** The policy as a JSON string token, resolved at synthesis. */
  toJson(): string {
    return Lazy.stringValue({
      produce: () => JSON.stringify({ Version: '2012-10-17', Statement: this.statements }),
    });
  }
}

/** The trust policy that lets one AWS service (or Lambda) assume a role. */
export function assumeRolePolicy(service: string): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { Service: service }, Action: ['sts:AssumeRole'] }],
  });
}
