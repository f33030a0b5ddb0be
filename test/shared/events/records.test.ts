import { expect } from 'chai';
import sinon from 'sinon';
import { forEachRecord, RecordBatchError } from '#shared/events';

describe('unit', () => {
  describe('forEachRecord', () => {
    afterEach(() => sinon.restore());

    it('processes every record in order when all succeed', async () => {
      const fn = sinon.stub().resolves();

      await forEachRecord(['a', 'b', 'c'], fn);

      expect(fn.args).to.deep.equal([
        ['a', 0],
        ['b', 1],
        ['c', 2],
      ]);
    });

    it('still processes the records after a failing one, then throws RecordBatchError listing the failures', async () => {
      const boom = new Error('throttled');
      const fn = sinon.stub().resolves();
      fn.withArgs('b').rejects(boom);
      fn.withArgs('d').throws(new TypeError('bad record'));

      const error = await forEachRecord(['a', 'b', 'c', 'd'], fn).then(
        () => undefined,
        (e: unknown) => e,
      );

      expect(fn.callCount).to.equal(4);
      expect(error).to.be.instanceOf(RecordBatchError);
      const batch = error as RecordBatchError<string>;
      expect(batch.total).to.equal(4);
      expect(batch.failures.map((f) => [f.index, f.record, f.error])).to.deep.equal([
        [1, 'b', boom],
        [3, 'd', batch.errors[1]],
      ]);
      expect(batch.errors[0]).to.equal(boom);
      expect(batch.cause).to.equal(boom);
      expect(batch.name).to.equal('RecordBatchError');
      expect(batch.message).to.equal(
        '2 of 4 record(s) failed: #1: Error: throttled; #3: TypeError: bad record',
      );
    });

    it('does nothing for no records', async () => {
      const fn = sinon.stub();

      await forEachRecord([], fn);

      expect(fn.called).to.equal(false);
    });
  });
});
