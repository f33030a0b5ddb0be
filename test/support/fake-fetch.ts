import type { FetchLike } from '#web/api/client.ts';

/** One request a {@link FakeFetch} received. */
export interface FetchCall {
  readonly url: string;
  readonly method: string;
  readonly headers: Record<string, string>;
  readonly body: unknown;
  readonly signal: AbortSignal | undefined;
}

/** What a fake answers: a response, an error to reject with, or `'hang'` (never answers until aborted). */
export type FakeAnswer = Response | Error | 'hang';

/** A `fetch` that records every call and answers from a script, one answer per call (the last repeats). */
export interface FakeFetch {
  readonly fetch: FetchLike;
  readonly calls: FetchCall[];
}

/** A fake `fetch` answering `answers` in order. */
export function fakeFetch(...answers: FakeAnswer[]): FakeFetch {
  const calls: FetchCall[] = [];
  const fetch: FetchLike = (url, init) => {
    const headers = Object.fromEntries(new Headers(init.headers).entries());
    const body = typeof init.body === 'string' ? JSON.parse(init.body) : init.body;
    calls.push({ url, method: init.method ?? 'GET', headers, body, signal: init.signal ?? undefined });
    const answer = answers[Math.min(calls.length, answers.length) - 1];
    if (answer === undefined) return Promise.reject(new Error('fakeFetch has no answer scripted'));
    if (answer === 'hang') {
      return new Promise((_, reject) => {
        init.signal?.addEventListener('abort', () => reject(init.signal?.reason ?? new Error('aborted')));
      });
    }
    if (answer instanceof Error) return Promise.reject(answer);
    return Promise.resolve(answer.clone());
  };
  return { fetch, calls };
}

/** A JSON response, as the API sends them. */
export function json(status: number, body: unknown, init: ResponseInit = {}): Response {
  return new Response(status === 204 ? null : JSON.stringify(body), {
    status,
    ...init,
    headers: { 'content-type': 'application/json', ...init.headers },
  });
}
