import { expect } from 'chai';
import sinon from 'sinon';
import { ApiError, NetworkError } from '#web/api/errors.ts';
import type { UploadRequest, UploadTicket } from '#web/api/types.ts';
import { type UploadFile, UploadQueue, type UploadQueueDeps } from '#web/upload/queue.ts';
import { UploadError } from '#web/upload/s3-post.ts';

const MAX = 10_000;

interface FakeTransfer {
  readonly ticket: UploadTicket;
  readonly file: UploadFile;
  readonly onProgress: (loaded: number) => void;
  readonly finish: () => void;
  readonly fail: (error: Error) => void;
  aborted: boolean;
}

function file(name: string, size: number, type = 'video/mp4'): UploadFile {
  return new File([new Uint8Array(size)], name, { type });
}

/** Lets the queue's pending promises run. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

function setup(overrides: Partial<UploadQueueDeps> = {}) {
  let now = Date.parse('2026-11-24T12:00:00.000Z');
  let issued = 0;
  const createUpload = sinon.stub().callsFake(async (_request: UploadRequest): Promise<UploadTicket> => {
    issued += 1;
    return {
      videoId: `video-${issued}`,
      url: 'https://uploads.example.com/',
      fields: { key: `uploads/u/video-${issued}/a.mp4` },
      expiresAt: new Date(now + 15 * 60_000).toISOString(),
    };
  });
  const deleteVideo = sinon.stub().resolves('accepted');
  const transfers: FakeTransfer[] = [];
  const onIssued = sinon.spy();
  const onBusyChange = sinon.spy();
  const queue = new UploadQueue({
    api: { createUpload, deleteVideo },
    send: (ticket, sent, onProgress) => {
      let finish = () => {};
      let fail: (error: Error) => void = () => {};
      const done = new Promise<void>((resolve, reject) => {
        finish = resolve;
        fail = reject;
      });
      const transfer: FakeTransfer = { ticket, file: sent, onProgress, finish, fail, aborted: false };
      transfers.push(transfer);
      return {
        done,
        abort: () => {
          transfer.aborted = true;
          fail(new UploadError('cancelled', 'The upload was cancelled.'));
        },
      };
    },
    now: () => now,
    maxUploadBytes: MAX,
    onIssued,
    onBusyChange,
    ...overrides,
  });
  const phases = () => queue.getSnapshot().map((entry) => entry.phase);
  const idOf = (index: number) => queue.getSnapshot()[index]?.id ?? '';
  return {
    queue,
    createUpload,
    deleteVideo,
    transfers,
    onIssued,
    onBusyChange,
    phases,
    idOf,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

describe('web upload queue', () => {
  describe('add', () => {
    it('holds valid files until Upload, and refuses the rest with the API’s own messages', () => {
      // Arrange
      const { queue, phases, createUpload } = setup();
      const files = [
        file('a.mp4', 100),
        file('notes.txt', 5, 'text/plain'),
        file('empty.mov', 0),
        file('big.mp4', MAX + 1),
      ];

      // Act
      queue.add(files);

      // Assert
      expect(phases()).to.deep.equal([
        { kind: 'selected' },
        {
          kind: 'invalid',
          message: '"text/plain" is not a video content type; only video/* files can be uploaded.',
        },
        { kind: 'invalid', message: '"empty.mov" is empty (0 bytes); upload the file again.' },
        { kind: 'invalid', message: '"big.mp4" is 10001 bytes, over the 10000-byte limit.' },
      ]);
      expect(createUpload.callCount).to.equal(0);
    });
  });

  describe('a file’s way through', () => {
    it('asks for a ticket with the chosen visibility, sends the file with progress and speed, and ends uploaded', async () => {
      // Arrange
      const { queue, createUpload, transfers, phases, onIssued, advance } = setup();
      queue.add([file('a.mp4', 2000)]);

      // Act
      queue.start('private');
      const requesting = phases()[0];
      await settle();
      const transfer = transfers[0] as FakeTransfer;
      transfer.onProgress(0);
      advance(1000);
      transfer.onProgress(500);
      const uploading = phases()[0];
      transfer.finish();
      await settle();

      // Assert
      expect(requesting).to.deep.equal({ kind: 'requesting' });
      expect(createUpload.firstCall.args[0]).to.deep.equal({
        filename: 'a.mp4',
        contentType: 'video/mp4',
        size: 2000,
        visibility: 'private',
      });
      expect(onIssued.calledOnceWithExactly('video-1')).to.equal(true);
      expect(uploading).to.deep.equal({ kind: 'uploading', loaded: 500, bytesPerSecond: 500 });
      expect(phases()).to.deep.equal([{ kind: 'uploaded', videoId: 'video-1' }]);
      expect(queue.getSnapshot()[0]?.visibility).to.equal('private');
    });

    it('sends two files at a time; the third starts when one ends', async () => {
      // Arrange
      const { queue, createUpload, transfers } = setup({ concurrency: 2 });
      queue.add([file('a.mp4', 10), file('b.mp4', 10), file('c.mp4', 10)]);

      // Act
      queue.start('public');
      await settle();
      const before = createUpload.callCount;
      transfers[0]?.finish();
      await settle();

      // Assert
      expect(before).to.equal(2);
      expect(createUpload.callCount).to.equal(3);
      expect(transfers.map((t) => t.file.name)).to.deep.equal(['a.mp4', 'b.mp4', 'c.mp4']);
    });

    it('says when it is busy, so the page can warn before the tab closes', async () => {
      // Arrange
      const { queue, transfers, onBusyChange } = setup();
      queue.add([file('a.mp4', 10)]);

      // Act
      queue.start('public');
      await settle();
      transfers[0]?.finish();
      await settle();

      // Assert
      expect(onBusyChange.args).to.deep.equal([[true], [false]]);
    });
  });

  describe('failures', () => {
    it('shows why a transfer failed, and a retry reuses the still-valid ticket', async () => {
      // Arrange
      const { queue, createUpload, transfers, phases, idOf } = setup();
      queue.add([file('a.mp4', 10)]);
      queue.start('public');
      await settle();

      // Act
      transfers[0]?.fail(new UploadError('network', 'The upload was interrupted.'));
      await settle();
      const failed = phases()[0];
      queue.retry(idOf(0));
      await settle();

      // Assert
      expect(failed).to.deep.equal({ kind: 'failed', message: 'The upload was interrupted.' });
      expect(createUpload.callCount).to.equal(1);
      expect(transfers.map((t) => t.ticket.videoId)).to.deep.equal(['video-1', 'video-1']);
      expect(phases()[0]).to.deep.include({ kind: 'uploading' });
    });

    it('gets a new ticket on retry when the old link expired or is about to', async () => {
      // Arrange
      const { queue, createUpload, transfers, idOf, advance } = setup();
      queue.add([file('a.mp4', 10), file('b.mp4', 10)]);
      queue.start('public');
      await settle();

      // Act
      transfers[0]?.fail(new UploadError('expired', 'The upload link expired.'));
      transfers[1]?.fail(new UploadError('network', 'lost'));
      await settle();
      advance(14.5 * 60_000);
      queue.retry(idOf(0));
      queue.retry(idOf(1));
      await settle();

      // Assert
      expect(createUpload.callCount).to.equal(4);
      expect(transfers.slice(2).map((t) => t.ticket.videoId)).to.deep.equal(['video-3', 'video-4']);
    });

    it('shows the API’s message: a 400 is final, a 5xx or no answer can be retried', async () => {
      // Arrange
      const { queue, createUpload, phases } = setup();
      createUpload.onCall(0).rejects(new ApiError(400, 'TOO_LARGE', '"a.mp4" is too large.'));
      createUpload.onCall(1).rejects(new ApiError(503, 'HTTP_503', 'Service Unavailable'));
      createUpload.onCall(2).rejects(new NetworkError('Could not reach the API.'));
      queue.add([file('a.mp4', 10), file('b.mp4', 10), file('c.mp4', 10)]);

      // Act
      queue.start('public');
      await settle();
      await settle();

      // Assert
      expect(phases()).to.deep.equal([
        { kind: 'invalid', message: '"a.mp4" is too large.' },
        { kind: 'failed', message: 'Service Unavailable' },
        { kind: 'failed', message: 'Could not reach the API.' },
      ]);
    });
  });

  describe('cancel', () => {
    it('aborts a running transfer and withdraws its video', async () => {
      // Arrange
      const { queue, transfers, deleteVideo, phases, idOf } = setup();
      queue.add([file('a.mp4', 10)]);
      queue.start('public');
      await settle();

      // Act
      queue.cancel(idOf(0));
      const cancelling = phases()[0];
      await settle();

      // Assert
      expect(cancelling).to.deep.equal({ kind: 'cancelling' });
      expect(transfers[0]?.aborted).to.equal(true);
      expect(deleteVideo.args).to.deep.equal([['video-1']]);
      expect(phases()).to.deep.equal([{ kind: 'cancelled' }]);
    });

    it('cancelled while the ticket is on its way: sends nothing and withdraws the video', async () => {
      // Arrange
      const { queue, transfers, deleteVideo, phases, idOf } = setup();
      queue.add([file('a.mp4', 10)]);
      queue.start('public');

      // Act
      queue.cancel(idOf(0));
      await settle();

      // Assert
      expect(transfers).to.have.length(0);
      expect(deleteVideo.args).to.deep.equal([['video-1']]);
      expect(phases()).to.deep.equal([{ kind: 'cancelled' }]);
    });

    it('says so when the withdrawn video could not be deleted', async () => {
      // Arrange
      const { queue, deleteVideo, phases, idOf } = setup();
      deleteVideo.rejects(new NetworkError('Could not reach the API.'));
      queue.add([file('a.mp4', 10)]);
      queue.start('public');
      await settle();

      // Act
      queue.cancel(idOf(0));
      await settle();

      // Assert
      expect(phases()).to.deep.equal([
        {
          kind: 'cancelled',
          note: 'Its entry could not be removed (Could not reach the API.); delete it in My videos.',
        },
      ]);
    });

    it('a retry after cancel starts afresh with a new ticket', async () => {
      // Arrange
      const { queue, createUpload, transfers, idOf } = setup();
      queue.add([file('a.mp4', 10)]);
      queue.start('public');
      await settle();
      queue.cancel(idOf(0));
      await settle();

      // Act
      queue.retry(idOf(0));
      await settle();

      // Assert
      expect(createUpload.callCount).to.equal(2);
      expect(transfers.at(-1)?.ticket.videoId).to.equal('video-2');
    });
  });

  describe('remove', () => {
    it('takes only settled files off the list', async () => {
      // Arrange
      const { queue, idOf } = setup();
      queue.add([file('a.mp4', 10), file('b.txt', 10, 'text/plain')]);
      queue.start('public');
      await settle();

      // Act
      queue.remove(idOf(0));
      queue.remove(idOf(1));

      // Assert
      expect(queue.getSnapshot().map((e) => [e.name, e.phase.kind])).to.deep.equal([['a.mp4', 'uploading']]);
    });

    it('tells subscribers of every change, and stops once unsubscribed', () => {
      // Arrange
      const { queue } = setup();
      const listener = sinon.spy();
      const unsubscribe = queue.subscribe(listener);

      // Act
      queue.add([file('a.mp4', 10)]);
      unsubscribe();
      queue.add([file('b.mp4', 10)]);

      // Assert
      expect(listener.callCount).to.equal(1);
    });
  });
});
