import { expect } from 'chai';
import { addSample, bytesPerSecond, RATE_WINDOW_MS } from '#web/upload/rate.ts';

describe('web upload rate', () => {
  it('measures bytes per second over the recent samples', () => {
    // Arrange
    let samples = addSample([], { at: 0, loaded: 0 });
    samples = addSample(samples, { at: 500, loaded: 1_000_000 });
    samples = addSample(samples, { at: 1000, loaded: 2_000_000 });

    // Act / Assert
    expect(bytesPerSecond(samples)).to.equal(2_000_000);
  });

  it('forgets samples older than the window, so the speed follows a change', () => {
    // Arrange
    let samples = addSample([], { at: 0, loaded: 0 });
    samples = addSample(samples, { at: 1000, loaded: 10_000_000 });
    samples = addSample(samples, { at: 1000 + RATE_WINDOW_MS, loaded: 10_300_000 });

    // Act / Assert
    expect(samples.map((s) => s.at)).to.deep.equal([1000, 1000 + RATE_WINDOW_MS]);
    expect(bytesPerSecond(samples)).to.equal(100_000);
  });

  it('gives no speed until the samples span a quarter of a second', () => {
    expect(bytesPerSecond([])).to.equal(undefined);
    expect(
      bytesPerSecond([
        { at: 0, loaded: 0 },
        { at: 100, loaded: 5000 },
      ]),
    ).to.equal(undefined);
  });
});
