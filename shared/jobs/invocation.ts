import { randomUUID } from 'node:crypto';
import type { ClaimHolder } from '#shared/store';

/** The part of the Lambda context a claim needs. */
export interface LambdaContextLike {
  readonly awsRequestId: string;
  getRemainingTimeInMillis(): number;
}

/** The invocation a core runs in: its request id, which Lambda's retries of one event share, and its deadline. */
export interface Invocation {
  readonly requestId: string;
  readonly deadline: Date;
}

/** Lambda's longest timeout: the deadline assumed when no context is given (tests, scripts). */
const LONGEST_INVOCATION_MS = 15 * 60 * 1000;

/** Clock skew between the host that runs an invocation and the one that checks its lease. */
const LEASE_MARGIN_MS = 5_000;

/** The {@link Invocation} of a Lambda context; without one, a fresh id and Lambda's longest timeout. */
export function invocationOf(context: LambdaContextLike | undefined, now: Date = new Date()): Invocation {
  if (!context) {
    return { requestId: randomUUID(), deadline: new Date(now.getTime() + LONGEST_INVOCATION_MS) };
  }
  return {
    requestId: context.awsRequestId,
    deadline: new Date(now.getTime() + context.getRemainingTimeInMillis()),
  };
}

/**
 * The claim holder an invocation is: its request id as the token (a retry of the same event resumes
 * the claim) and a lease until its deadline, after which nobody can still be working on the claim.
 */
export function claimHolder(invocation: Invocation): ClaimHolder {
  return {
    token: invocation.requestId,
    leaseUntil: new Date(invocation.deadline.getTime() + LEASE_MARGIN_MS),
  };
}
