import { expect } from 'chai';
import { median } from '../../scripts/bench-stats.ts';

describe('bench-stats', () => {
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
});
