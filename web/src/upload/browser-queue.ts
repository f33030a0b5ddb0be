import type { QueryClient } from '@tanstack/react-query';
import type { ApiClient } from '#web/api/client.ts';
import { videoKeys } from '#web/api/keys.ts';
import { UploadQueue } from './queue.ts';
import { postToS3, type XhrLike } from './s3-post.ts';

const queues = new WeakMap<ApiClient, UploadQueue>();

function warnBeforeLeaving(event: BeforeUnloadEvent): void {
  event.preventDefault();
}

/** The signed-in session's upload queue, with the browser's XHR; one per API client, kept across pages. */
export function uploadQueueFor(
  api: ApiClient,
  queryClient: QueryClient,
  maxUploadBytes?: number,
): UploadQueue {
  const existing = queues.get(api);
  if (existing) return existing;
  const queue = new UploadQueue({
    api,
    // XMLHttpRequest's handler types name DOM events; the upload reads only the fields XhrLike lists.
    send: (ticket, file, onProgress) =>
      postToS3(ticket, file, { createXhr: () => new XMLHttpRequest() as unknown as XhrLike, onProgress }),
    now: () => Date.now(),
    ...(maxUploadBytes !== undefined ? { maxUploadBytes } : {}),
    onIssued: () => void queryClient.invalidateQueries({ queryKey: videoKeys.mine() }),
    onBusyChange: (busy) => {
      if (busy) window.addEventListener('beforeunload', warnBeforeLeaving);
      else window.removeEventListener('beforeunload', warnBeforeLeaving);
    },
  });
  queues.set(api, queue);
  return queue;
}
