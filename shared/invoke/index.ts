import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';

/**
 * Hands `payload` to `functionName` as an asynchronous (`Event`) invocation, so it runs with that
 * function's retries and dead-letter queue rather than in the caller's time; resolves once Lambda has
 * accepted it, and throws (so the caller is retried) when it did not. `what` names the payload in errors.
 */
export async function invokeAsync(
  client: Pick<LambdaClient, 'send'>,
  functionName: string,
  payload: unknown,
  what: string,
): Promise<void> {
  const response = await client.send(
    new InvokeCommand({
      FunctionName: functionName,
      InvocationType: 'Event',
      Payload: new TextEncoder().encode(JSON.stringify(payload)),
    }),
  );
  if (response.StatusCode !== 202) {
    throw new Error(`Lambda did not accept ${what} (status ${response.StatusCode}); retry.`);
  }
}
