import { expect } from 'chai';
import {
  fingerprintOf,
  inFlight,
  LIVE_POLL,
  nextPoll,
  observePoll,
  POLL_START,
  type PollState,
  pollDelay,
} from '#web/api/polling.ts';
import type { VideoStatus, VideoView } from '#web/api/types.ts';

function video(status: VideoStatus, progress?: number, updatedAt = '2026-11-24T12:00:00.000Z'): VideoView {
  return {
    videoId: 'AbCdEfGhIjKlMnOpQrStUv',
    status,
    visibility: 'public',
    createdAt: '2026-11-24T12:00:00.000Z',
    updatedAt,
    mine: true,
    renditions: [],
    ...(progress !== undefined ? { progress } : {}),
  };
}

describe('web live polling', () => {
  describe('pollDelay', () => {
    it('starts at 1 s and grows by half per unchanged poll up to 10 s', () => {
      // Act
      const delays = [0, 1, 2, 3, 4, 5, 6, 7, 20].map((unchanged) =>
        pollDelay({ seenAt: 1, fingerprint: 'f', unchanged }, LIVE_POLL),
      );

      // Assert
      expect(delays).to.deep.equal([1000, 1500, 2250, 3375, 5063, 7594, 10000, 10000, 10000]);
    });
  });

  describe('observePoll', () => {
    it('counts each arrival of the same data once, however often it is asked', () => {
      // Arrange
      const first = observePoll(POLL_START, { at: 100, fingerprint: 'a' });

      // Act
      const again = observePoll(first, { at: 100, fingerprint: 'a' });
      const second = observePoll(again, { at: 200, fingerprint: 'a' });

      // Assert
      expect(first.unchanged).to.equal(0);
      expect(again).to.equal(first);
      expect(second).to.deep.equal({ seenAt: 200, fingerprint: 'a', unchanged: 1 });
    });

    it('resets the back-off when the data changes', () => {
      // Arrange
      const slow: PollState = { seenAt: 500, fingerprint: 'a', unchanged: 6 };

      // Act
      const next = observePoll(slow, { at: 600, fingerprint: 'b' });

      // Assert
      expect(next).to.deep.equal({ seenAt: 600, fingerprint: 'b', unchanged: 0 });
      expect(pollDelay(next)).to.equal(1000);
    });
  });

  describe('nextPoll', () => {
    it('backs off while a transcoding video stays put, resets when its progress moves, stops at READY', () => {
      // Arrange
      const arrivals: Array<[number, VideoView]> = [
        [1, video('TRANSCODING', 10)],
        [2, video('TRANSCODING', 10)],
        [3, video('TRANSCODING', 10)],
        [4, video('TRANSCODING', 40)],
        [5, video('READY', 100)],
      ];

      // Act
      const delays: Array<number | false> = [];
      let state = POLL_START;
      for (const [at, shown] of arrivals) {
        const next = nextPoll(state, [shown], at);
        state = next.state;
        delays.push(next.delay);
      }

      // Assert
      expect(delays).to.deep.equal([1000, 1500, 2250, 1000, false]);
    });

    it('keeps polling while any one of several videos is in flight', () => {
      // Act
      const some = nextPoll(POLL_START, [video('READY'), video('UPLOADED'), video('FAILED')], 1);
      const none = nextPoll(POLL_START, [video('READY'), video('REJECTED'), video('FAILED')], 1);
      const empty = nextPoll(POLL_START, [], 0);

      // Assert
      expect([some.delay, none.delay, empty.delay]).to.deep.equal([1000, false, false]);
    });
  });

  describe('inFlight and fingerprintOf', () => {
    it('treats UPLOADED and TRANSCODING as in flight, the rest as terminal', () => {
      const statuses: VideoStatus[] = ['UPLOADED', 'TRANSCODING', 'READY', 'FAILED', 'REJECTED'];
      expect(statuses.map(inFlight)).to.deep.equal([true, true, false, false, false]);
    });

    it('changes with status, progress or updatedAt, and not otherwise', () => {
      const base = fingerprintOf([video('TRANSCODING', 10)]);
      expect(fingerprintOf([video('TRANSCODING', 10)])).to.equal(base);
      expect(fingerprintOf([video('TRANSCODING', 11)])).to.not.equal(base);
      expect(fingerprintOf([video('READY', 10)])).to.not.equal(base);
      expect(fingerprintOf([video('TRANSCODING', 10, '2026-11-24T12:00:01.000Z')])).to.not.equal(base);
    });
  });
});
