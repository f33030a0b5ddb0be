import type { XhrLike } from '#web/upload/s3-post.ts';

/** A scripted `XMLHttpRequest`: records what was sent, and the test drives progress and the outcome. */
export class FakeXhr implements XhrLike {
  method?: string;
  url?: string;
  body?: FormData;
  aborted = false;
  status = 0;
  responseText = '';
  readonly upload: XhrLike['upload'] = { onprogress: null };
  onload: (() => void) | null = null;
  onerror: (() => void) | null = null;
  onabort: (() => void) | null = null;
  ontimeout: (() => void) | null = null;

  open(method: string, url: string): void {
    this.method = method;
    this.url = url;
  }

  send(body: FormData): void {
    this.body = body;
  }

  abort(): void {
    this.aborted = true;
    this.onabort?.();
  }

  /** The browser reports `loaded` of `total` bytes of the whole form sent. */
  progress(loaded: number, total: number): void {
    this.upload.onprogress?.({ loaded, total, lengthComputable: true });
  }

  /** Storage answers. */
  respond(status: number, body = ''): void {
    this.status = status;
    this.responseText = body;
    this.onload?.();
  }

  /** The connection drops. */
  fail(): void {
    this.onerror?.();
  }
}

/** S3's XML error document. */
export function s3ErrorXml(code: string, message: string, extra = ''): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message>${extra}<RequestId>R1</RequestId></Error>`;
}
