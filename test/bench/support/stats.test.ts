import { expect } from 'chai';
import { median, percentile } from '#bench/support/stats.ts';

describe('bench/support/stats', () => {
  describe('median', () => {
    it('returns the middle value of an odd count, whatever the order', () => {
      expect(median([5, 1, 3])).to.equal(3);
    });

    it('returns the mean of the two middle values of an even count', () => {
      expect(median([4, 1, 3, 2])).to.equal(2.5);
    });

    it('leaves the input in its order', () => {
      const values = [3, 1, 2];

      median(values);

      expect(values).to.deep.equal([3, 1, 2]);
    });
  });

  describe('percentile', () => {
    it('takes the nearest rank: p95 of 20 values is the 19th smallest', () => {
      const values = Array.from({ length: 20 }, (_, i) => 20 - i);

      expect(percentile(values, 95)).to.equal(19);
      expect(percentile(values, 50)).to.equal(10);
    });

    it('returns the only value for any p, and NaN for no values', () => {
      expect(percentile([7], 5)).to.equal(7);
      expect(percentile([7], 100)).to.equal(7);
      expect(percentile([], 50)).to.be.NaN;
    });
  });
});
