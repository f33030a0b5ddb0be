import { randomUUID } from 'node:crypto';
import type { DeadLetter } from './types.ts';

/**
 * The record Lambda sends an on-failure destination for an asynchronous invocation it gave up on:
 * https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html
 */
export interface OnFailureRecord {
  readonly version: '1.0';
  readonly timestamp: string;
  readonly requestContext: {
    readonly requestId: string;
    /** Qualified with the version that ran (`:$LATEST`). */
    readonly functionArn: string;
    readonly condition: 'RetriesExhausted' | 'EventAgeExceeded';
    readonly approximateInvokeCount: number;
  };
  /** The event, exactly as the function was invoked with it: what a redrive sends again. */
  readonly requestPayload: unknown;
  readonly responseContext: {
    readonly statusCode: number;
    readonly executedVersion: string;
    readonly functionError: 'Unhandled';
  };
  readonly responsePayload: { readonly errorType: string; readonly errorMessage: string };
}

/** The on-failure record of a dead letter, as its destination (an SQS queue here) receives it. */
export function onFailureRecord(
  letter: DeadLetter & { readonly requestId?: string },
  functionArn: string,
): OnFailureRecord {
  return {
    version: '1.0',
    timestamp: letter.time,
    requestContext: {
      requestId: letter.requestId ?? randomUUID(),
      functionArn: `${functionArn}:$LATEST`,
      condition: 'RetriesExhausted',
      approximateInvokeCount: letter.attempts,
    },
    requestPayload: letter.event,
    responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
    responsePayload: { errorType: letter.error.errorType, errorMessage: letter.error.errorMessage },
  };
}
