import { ApiError, NetworkError } from './errors.ts';
import type {
  DeleteOutcome,
  UploadRequest,
  UploadTicket,
  VideoPage,
  VideoPatch,
  VideoView,
} from './types.ts';

/** `fetch`, or a fake of it. (`cache` is spelled out: Node's `RequestInit` type lacks it.) */
export type FetchLike = (url: string, init: RequestInit & { cache?: 'no-store' }) => Promise<Response>;

/** What the client needs from the app: where the API is, and the signed-in user's token. */
export interface ApiClientOptions {
  /** `config.apiUrl`, without a trailing slash. */
  readonly baseUrl: string;
  /** The current access token, renewed first if it has expired; undefined when signed out. */
  readonly accessToken: () => Promise<string | undefined>;
  /** Called on a 401: the app sends the user through sign-in and back; false when it will not. */
  readonly onUnauthorized: () => boolean;
  readonly fetch: FetchLike;
  /** Longest wait for an answer before it counts as a network failure. */
  readonly timeoutMs?: number;
}

/** Query of `GET /videos`. */
export interface ListQuery {
  /** The caller's own videos in every status, instead of the public catalogue. */
  readonly mine?: boolean;
  readonly cursor?: string;
  readonly limit?: number;
}

/** Every route of the HTTP API, typed. Errors are {@link ApiError} or {@link NetworkError}. */
export interface ApiClient {
  listVideos(query: ListQuery, signal?: AbortSignal): Promise<VideoPage>;
  getVideo(videoId: string, signal?: AbortSignal): Promise<VideoView>;
  createUpload(request: UploadRequest, signal?: AbortSignal): Promise<UploadTicket>;
  updateVideo(videoId: string, patch: VideoPatch): Promise<VideoView>;
  deleteVideo(videoId: string): Promise<DeleteOutcome>;
}

const DEFAULT_TIMEOUT_MS = 30_000;

/** The one place that knows the API's URLs, its bearer token and its `{ code, message }` errors. */
export function createApiClient(options: ApiClientOptions): ApiClient {
  const base = options.baseUrl.replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;

  async function send(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<Answer> {
    const token = await options.accessToken();
    if (token === undefined) throw signedOut(options.onUnauthorized());
    const headers: Record<string, string> = { accept: 'application/json', authorization: `Bearer ${token}` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const deadline = withTimeout(signal, timeoutMs);
    try {
      const response = await options.fetch(`${base}${path}`, {
        method,
        headers,
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        signal: deadline.signal,
      });
      const text = await response.text();
      return { status: response.status, statusText: response.statusText, text };
    } catch (error) {
      if (signal?.aborted) throw error;
      if (deadline.timedOut()) {
        throw new NetworkError(
          `The API did not answer within ${Math.round(timeoutMs / 1000)} seconds. Check your connection and retry.`,
          { cause: error },
        );
      }
      throw new NetworkError('Could not reach the API. Check your connection and retry.', { cause: error });
    } finally {
      deadline.clear();
    }
  }

  async function call(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<Answer> {
    const answer = await send(method, path, body, signal);
    if (answer.status === 401) throw signedOut(options.onUnauthorized());
    if (answer.status < 200 || answer.status > 299) throw errorOf(answer);
    return answer;
  }

  async function json<T>(
    method: string,
    path: string,
    read: (value: unknown) => T | undefined,
    body?: unknown,
    signal?: AbortSignal,
  ): Promise<T> {
    const answer = await call(method, path, body, signal);
    const value = read(parse(answer.text));
    if (value === undefined) {
      throw new ApiError(
        answer.status,
        'INVALID_RESPONSE',
        'The API sent an answer the app does not understand. Reload the page; if it persists, the app and the API may be out of step.',
      );
    }
    return value;
  }

  const videoPath = (videoId: string) => `/videos/${encodeURIComponent(videoId)}`;

  return {
    listVideos(query, signal) {
      const params = new URLSearchParams();
      if (query.mine) params.set('mine', 'true');
      if (query.limit !== undefined) params.set('limit', String(query.limit));
      if (query.cursor !== undefined) params.set('cursor', query.cursor);
      const search = params.toString();
      return json('GET', `/videos${search ? `?${search}` : ''}`, readVideoPage, undefined, signal);
    },
    getVideo(videoId, signal) {
      return json('GET', videoPath(videoId), readVideo, undefined, signal);
    },
    createUpload(request, signal) {
      return json('POST', '/uploads', readUploadTicket, request, signal);
    },
    updateVideo(videoId, patch) {
      return json('PATCH', videoPath(videoId), readVideo, patch);
    },
    async deleteVideo(videoId) {
      const answer = await call('DELETE', videoPath(videoId));
      return answer.status === 204 ? 'already-deleted' : 'accepted';
    },
  };
}

interface Answer {
  readonly status: number;
  readonly statusText: string;
  readonly text: string;
}

function signedOut(redirecting: boolean): ApiError {
  return new ApiError(
    401,
    'UNAUTHORIZED',
    redirecting
      ? 'Your session has ended. Taking you to sign-in…'
      : 'The API still refuses your sign-in. Sign out and sign in again; if that does not help, the app and the API may trust different identity providers.',
  );
}

/** The API's `{ code, message }`, API Gateway's bare `{ message }`, or a plain description of the status. */
function errorOf(answer: Answer): ApiError {
  const body = parse(answer.text);
  const message =
    isRecord(body) && typeof body.message === 'string' && body.message.trim() !== ''
      ? body.message
      : undefined;
  const code =
    isRecord(body) && typeof body.code === 'string' && body.code !== '' ? body.code : `HTTP_${answer.status}`;
  if (message !== undefined) return new ApiError(answer.status, code, message);
  const status = `${answer.status}${answer.statusText ? ` ${answer.statusText}` : ''}`;
  const advice = answer.status >= 500 ? 'Try again in a moment.' : 'Reload the page and try again.';
  return new ApiError(answer.status, code, `The API answered ${status} without saying why. ${advice}`);
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A video view, with the defaults of fields older API versions leave out. */
function readVideo(value: unknown): VideoView | undefined {
  if (!isRecord(value) || typeof value.videoId !== 'string' || typeof value.status !== 'string')
    return undefined;
  const video = value as unknown as VideoView;
  return {
    ...video,
    visibility: video.visibility === 'private' ? 'private' : 'public',
    renditions: Array.isArray(video.renditions) ? video.renditions : [],
  };
}

function readVideoPage(value: unknown): VideoPage | undefined {
  if (!isRecord(value) || !Array.isArray(value.items)) return undefined;
  const items = value.items.map(readVideo);
  if (!items.every((item) => item !== undefined)) return undefined;
  return typeof value.nextCursor === 'string' && value.nextCursor !== ''
    ? { items, nextCursor: value.nextCursor }
    : { items };
}

function readUploadTicket(value: unknown): UploadTicket | undefined {
  if (!isRecord(value) || typeof value.videoId !== 'string' || typeof value.url !== 'string')
    return undefined;
  if (!isRecord(value.fields)) return undefined;
  return value as unknown as UploadTicket;
}

/** An abort signal that fires when `outer` does or after `ms`, telling the two apart. */
function withTimeout(outer: AbortSignal | undefined, ms: number) {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort(new Error(`No answer within ${ms} ms`));
  }, ms);
  const forward = () => controller.abort(outer?.reason);
  if (outer?.aborted) forward();
  outer?.addEventListener('abort', forward, { once: true });
  return {
    signal: controller.signal,
    timedOut: () => timedOut,
    clear: () => {
      clearTimeout(timer);
      outer?.removeEventListener('abort', forward);
    },
  };
}
