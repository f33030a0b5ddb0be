import type { UploadTicket } from '#web/api/types.ts';
import { storageFailure } from './s3-error.ts';

/** The part of `XMLHttpRequest` an upload uses (fetch cannot report upload progress). */
export interface XhrLike {
  open(method: string, url: string): void;
  send(body: FormData): void;
  abort(): void;
  readonly upload: {
    onprogress: ((event: { loaded: number; total: number; lengthComputable: boolean }) => void) | null;
  };
  onload: (() => void) | null;
  onerror: (() => void) | null;
  onabort: (() => void) | null;
  ontimeout: (() => void) | null;
  readonly status: number;
  readonly responseText: string;
}

/** Why a transfer to storage did not finish. */
export class UploadError extends Error {
  constructor(
    /** `storage`: S3 refused; `expired`: the link expired (get a new one); `network`; `cancelled`. */
    readonly kind: 'storage' | 'expired' | 'network' | 'cancelled',
    message: string,
  ) {
    super(message);
    this.name = 'UploadError';
  }
}

/** A running transfer. */
export interface Transfer {
  /** Resolves when storage accepted the file; rejects with an {@link UploadError}. */
  readonly done: Promise<void>;
  abort(): void;
}

/**
 * Sends `file` to storage with the presigned POST: a multipart form with every ticket field first, in
 * order, then the file as `file` (S3 ignores fields after it). `onProgress` gets the file bytes sent.
 */
export function postToS3(
  ticket: Pick<UploadTicket, 'url' | 'fields'>,
  file: Blob & { readonly name: string },
  deps: { createXhr: () => XhrLike; onProgress: (loaded: number) => void },
): Transfer {
  const xhr = deps.createXhr();
  const form = new FormData();
  for (const [name, value] of Object.entries(ticket.fields)) form.append(name, value);
  form.append('file', file, file.name);
  const done = new Promise<void>((resolve, reject) => {
    xhr.upload.onprogress = (event) => {
      // `total` counts the whole form; report the share of the file itself.
      const share = event.lengthComputable && event.total > 0 ? event.loaded / event.total : 0;
      deps.onProgress(Math.min(file.size, Math.round(share * file.size)));
    };
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        deps.onProgress(file.size);
        resolve();
        return;
      }
      const failure = storageFailure(xhr.status, xhr.responseText);
      reject(new UploadError(failure.expired ? 'expired' : 'storage', failure.message));
    };
    const lost = () =>
      reject(
        new UploadError(
          'network',
          'The upload was interrupted: the connection to storage was lost. Check your connection and retry.',
        ),
      );
    xhr.onerror = lost;
    xhr.ontimeout = lost;
    xhr.onabort = () => reject(new UploadError('cancelled', 'The upload was cancelled.'));
  });
  xhr.open('POST', ticket.url);
  xhr.send(form);
  return { done, abort: () => xhr.abort() };
}
