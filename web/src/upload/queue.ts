import { checkUploadFields } from '#shared/video/upload-rules';
import type { ApiClient } from '#web/api/client.ts';
import { ApiError, messageOf } from '#web/api/errors.ts';
import type { UploadTicket, Visibility } from '#web/api/types.ts';
import { uploadContentType } from './content-type.ts';
import { addSample, bytesPerSecond, type Sample } from './rate.ts';
import { type Transfer, UploadError } from './s3-post.ts';

/** A file the user picked or dropped. */
export type UploadFile = Blob & { readonly name: string };

/** Where one file is. Every end state says so on screen: nothing fails silently. */
export type UploadPhase =
  /** Picked, waiting for the user to press Upload. */
  | { readonly kind: 'selected' }
  | { readonly kind: 'queued' }
  /** Refused before sending (the same rule and message as the API); retrying cannot help. */
  | { readonly kind: 'invalid'; readonly message: string }
  | { readonly kind: 'requesting' }
  | { readonly kind: 'uploading'; readonly loaded: number; readonly bytesPerSecond?: number }
  /** Storage has the file; its status is followed from here. */
  | { readonly kind: 'uploaded'; readonly videoId: string }
  | { readonly kind: 'failed'; readonly message: string }
  | { readonly kind: 'cancelling' }
  | { readonly kind: 'cancelled'; readonly note?: string };

/** One file of the queue, as the page shows it. */
export interface UploadEntry {
  readonly id: string;
  readonly name: string;
  readonly size: number;
  /** Chosen when the upload starts. */
  readonly visibility?: Visibility;
  readonly phase: UploadPhase;
}

/** What the queue works with; the browser's real ones, or fakes in tests. */
export interface UploadQueueDeps {
  readonly api: Pick<ApiClient, 'createUpload' | 'deleteVideo'>;
  /** Starts sending a file to storage (see `postToS3`). */
  readonly send: (ticket: UploadTicket, file: UploadFile, onProgress: (loaded: number) => void) => Transfer;
  readonly now: () => number;
  /** The API's limit when the config gives it; the API checks it regardless. */
  readonly maxUploadBytes?: number;
  /** Files sent at once. */
  readonly concurrency?: number;
  /** A video was created for a file (My videos now has it). */
  readonly onIssued?: (videoId: string) => void;
  /** Whether anything is being sent, e.g. to warn before the tab closes. */
  readonly onBusyChange?: (busy: boolean) => void;
}

interface Work {
  readonly file: UploadFile;
  ticket?: UploadTicket;
  transfer?: Transfer;
  cancelled: boolean;
  samples: Sample[];
}

/** A ticket this close to its expiry is not worth starting a transfer with. */
const TICKET_MARGIN_MS = 60_000;

const BUSY: ReadonlySet<UploadPhase['kind']> = new Set(['queued', 'requesting', 'uploading', 'cancelling']);
const REMOVABLE: ReadonlySet<UploadPhase['kind']> = new Set([
  'selected',
  'invalid',
  'uploaded',
  'failed',
  'cancelled',
]);

/**
 * The upload queue: checks each file like the API does, asks the API for a presigned POST, sends the
 * file with progress, and lets each file be cancelled (its video is withdrawn) or retried. It lives
 * outside React so uploads carry on while the user looks at other pages. Subscribe with
 * `useSyncExternalStore(queue.subscribe, queue.getSnapshot)`.
 */
export class UploadQueue {
  private entries: readonly UploadEntry[] = [];
  private readonly work = new Map<string, Work>();
  private readonly listeners = new Set<() => void>();
  private sequence = 0;
  private busy = false;

  constructor(private readonly deps: UploadQueueDeps) {}

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  readonly getSnapshot = (): readonly UploadEntry[] => this.entries;

  /** Adds picked files; those that break a rule are shown as refused, with the API's message. */
  add(files: readonly UploadFile[]): void {
    const limits = { maxBytes: this.deps.maxUploadBytes ?? Number.POSITIVE_INFINITY };
    const added = files.map((file): UploadEntry => {
      this.sequence += 1;
      const id = `upload-${this.sequence}`;
      this.work.set(id, { file, cancelled: false, samples: [] });
      const checked = checkUploadFields(
        { filename: file.name, contentType: uploadContentType(file), size: file.size },
        limits,
      );
      const phase: UploadPhase = checked.ok
        ? { kind: 'selected' }
        : { kind: 'invalid', message: checked.problem.message };
      return { id, name: file.name, size: file.size, phase };
    });
    this.entries = [...this.entries, ...added];
    this.changed();
  }

  /** Starts every picked file, as `visibility`; a few are sent at once, the rest wait their turn. */
  start(visibility: Visibility): void {
    this.entries = this.entries.map((entry) =>
      entry.phase.kind === 'selected' ? { ...entry, visibility, phase: { kind: 'queued' } } : entry,
    );
    this.changed();
    this.pump();
  }

  /** Stops a file: a waiting one is dropped, a running transfer aborted, and its video withdrawn. */
  cancel(id: string): void {
    const work = this.work.get(id);
    const kind = this.entry(id)?.phase.kind;
    if (!work || kind === undefined) return;
    if (kind === 'queued') {
      void this.withdraw(id);
    } else if (kind === 'requesting' || kind === 'uploading') {
      work.cancelled = true;
      this.setPhase(id, { kind: 'cancelling' });
      work.transfer?.abort();
    }
  }

  /** Sends a failed or cancelled file again, with a fresh link when the old one is gone or expiring. */
  retry(id: string): void {
    const work = this.work.get(id);
    const kind = this.entry(id)?.phase.kind;
    if (!work || (kind !== 'failed' && kind !== 'cancelled')) return;
    work.cancelled = false;
    work.samples = [];
    this.setPhase(id, { kind: 'queued' });
    this.pump();
  }

  /** Takes a finished, refused, failed or cancelled file off the list. */
  remove(id: string): void {
    const kind = this.entry(id)?.phase.kind;
    if (kind === undefined || !REMOVABLE.has(kind)) return;
    this.work.delete(id);
    this.entries = this.entries.filter((entry) => entry.id !== id);
    this.changed();
  }

  private entry(id: string): UploadEntry | undefined {
    return this.entries.find((entry) => entry.id === id);
  }

  private pump(): void {
    const limit = this.deps.concurrency ?? 2;
    let running = this.entries.filter(
      (e) => e.phase.kind === 'requesting' || e.phase.kind === 'uploading',
    ).length;
    for (const entry of this.entries) {
      if (running >= limit) break;
      if (entry.phase.kind !== 'queued') continue;
      running += 1;
      this.setPhase(entry.id, { kind: 'requesting' });
      void this.run(entry);
    }
  }

  private async run(entry: UploadEntry): Promise<void> {
    const work = this.work.get(entry.id);
    if (!work) return;
    try {
      const ticket = await this.ticketFor(entry, work);
      if (work.cancelled) return await this.withdraw(entry.id);
      this.setPhase(entry.id, { kind: 'uploading', loaded: 0 });
      work.transfer = this.deps.send(ticket, work.file, (loaded) => this.progress(entry.id, work, loaded));
      await work.transfer.done;
      if (work.cancelled) return await this.withdraw(entry.id);
      this.setPhase(entry.id, { kind: 'uploaded', videoId: ticket.videoId });
    } catch (error) {
      if (work.cancelled) return await this.withdraw(entry.id);
      if (error instanceof UploadError && error.kind === 'expired') work.ticket = undefined;
      this.setPhase(entry.id, failure(error));
    } finally {
      work.transfer = undefined;
      this.pump();
    }
  }

  private async ticketFor(entry: UploadEntry, work: Work): Promise<UploadTicket> {
    const kept = work.ticket;
    if (kept && Date.parse(kept.expiresAt) - this.deps.now() > TICKET_MARGIN_MS) return kept;
    const ticket = await this.deps.api.createUpload({
      filename: entry.name,
      contentType: uploadContentType(work.file),
      size: entry.size,
      ...(entry.visibility !== undefined ? { visibility: entry.visibility } : {}),
    });
    work.ticket = ticket;
    this.deps.onIssued?.(ticket.videoId);
    return ticket;
  }

  private progress(id: string, work: Work, loaded: number): void {
    if (work.cancelled) return;
    work.samples = addSample(work.samples, { at: this.deps.now(), loaded });
    const rate = bytesPerSecond(work.samples);
    this.setPhase(id, { kind: 'uploading', loaded, ...(rate !== undefined ? { bytesPerSecond: rate } : {}) });
  }

  /** Marks the file cancelled and deletes the video its ticket created, so no ghost stays in My videos. */
  private async withdraw(id: string): Promise<void> {
    const work = this.work.get(id);
    const ticket = work?.ticket;
    if (work) work.ticket = undefined;
    this.setPhase(id, { kind: 'cancelled' });
    if (!ticket) return;
    try {
      await this.deps.api.deleteVideo(ticket.videoId);
    } catch (error) {
      this.setPhase(id, {
        kind: 'cancelled',
        note: `Its entry could not be removed (${messageOf(error)}); delete it in My videos.`,
      });
    }
  }

  private setPhase(id: string, phase: UploadPhase): void {
    if (!this.work.has(id)) return;
    this.entries = this.entries.map((entry) => (entry.id === id ? { ...entry, phase } : entry));
    this.changed();
  }

  private changed(): void {
    const busy = this.entries.some((entry) => BUSY.has(entry.phase.kind));
    if (busy !== this.busy) {
      this.busy = busy;
      this.deps.onBusyChange?.(busy);
    }
    for (const listener of this.listeners) listener();
  }
}

/** A refusal by the API is final; anything else may pass on a retry. */
function failure(error: unknown): UploadPhase {
  if (error instanceof ApiError && error.status === 400) return { kind: 'invalid', message: error.message };
  return { kind: 'failed', message: error instanceof UploadError ? error.message : messageOf(error) };
}
