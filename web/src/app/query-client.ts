import { QueryClient } from '@tanstack/react-query';
import { ApiError, isRetryable } from '#web/api/errors.ts';

/** Retries what may pass on a second try (no answer, 5xx), twice; never a refusal such as a 404 or 401. */
export function shouldRetry(failureCount: number, error: unknown): boolean {
  return failureCount < 2 && isRetryable(error) && !(error instanceof ApiError && error.unauthorized);
}

/** The app's one query cache, the home of everything the API owns. */
export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: { staleTime: 15_000, retry: shouldRetry },
      mutations: { retry: false },
    },
  });
}
