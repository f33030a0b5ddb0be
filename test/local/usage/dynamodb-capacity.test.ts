import { expect } from 'chai';
import {
  attributeValueSize,
  failedConditionUnits,
  type IndexShape,
  indexWriteUnits,
  itemSize,
  readUnits,
  writeUnits,
} from '#local/usage';

const BY_STATUS: IndexShape = { name: 'byStatus', keys: ['status', 'createdAt'], projection: 'ALL' };
const KEYS = ['videoId'];
const text = (bytes: number) => ({ S: 'x'.repeat(bytes) });

describe('local/usage: DynamoDB capacity', () => {
  describe('item size', () => {
    it('counts attribute names and string values in UTF-8 bytes', () => {
      expect(itemSize({ id: { S: 'abc' } })).to.equal(5);
      expect(itemSize({ título: { S: 'café' } })).to.equal(7 + 5);
    });

    it('sizes numbers at one byte per two significant digits plus one, without leading or trailing zeros', () => {
      expect(attributeValueSize({ N: '7' })).to.equal(2);
      expect(attributeValueSize({ N: '1234' })).to.equal(3);
      expect(attributeValueSize({ N: '12300' })).to.equal(3);
      expect(attributeValueSize({ N: '0.0012' })).to.equal(2);
    });

    it('gives booleans and null one byte, binaries their bytes, sets the sum of their members', () => {
      expect(attributeValueSize({ BOOL: true })).to.equal(1);
      expect(attributeValueSize({ NULL: true })).to.equal(1);
      expect(attributeValueSize({ B: Buffer.from('hello').toString('base64') })).to.equal(5);
      expect(attributeValueSize({ SS: ['ab', 'cde'] })).to.equal(5);
    });

    it('adds 3 bytes to a list or map and 1 byte per element, and counts a map key as a name', () => {
      expect(attributeValueSize({ L: [] })).to.equal(3);
      expect(attributeValueSize({ L: [{ S: 'ab' }, { BOOL: false }] })).to.equal(3 + 1 + 2 + 1 + 1);
      expect(attributeValueSize({ M: { k: { S: 'v' } } })).to.equal(3 + 1 + 2);
    });
  });

  describe('write units', () => {
    it('rounds the larger of the item before and after up to whole kilobytes, at least one', () => {
      expect(writeUnits(undefined, { a: text(10) })).to.equal(1);
      expect(writeUnits(undefined, { a: text(1023) })).to.equal(1);
      expect(writeUnits(undefined, { a: text(1024) })).to.equal(2);
      expect(writeUnits({ a: text(3000) }, { a: text(10) })).to.equal(3);
      expect(writeUnits(undefined, undefined)).to.equal(1);
    });

    it('charges a failed condition by the existing item, and one unit when there is none', () => {
      expect(failedConditionUnits({ a: text(2500) })).to.equal(3);
      expect(failedConditionUnits(undefined)).to.equal(1);
    });
  });

  describe('read units', () => {
    it('rounds up to 4 KB units, at least one, and halves them when eventually consistent', () => {
      expect(readUnits(0, true)).to.equal(1);
      expect(readUnits(4096, true)).to.equal(1);
      expect(readUnits(4097, true)).to.equal(2);
      expect(readUnits(4097, false)).to.equal(1);
      expect(readUnits(100, false)).to.equal(0.5);
    });
  });

  describe('index writes', () => {
    const item = (status: string, extra = 0) => ({
      videoId: { S: 'v1' },
      status: { S: status },
      createdAt: { S: '2026-12-01' },
      ...(extra > 0 && { notes: text(extra) }),
    });

    it('costs nothing when neither image has the index key', () => {
      expect(indexWriteUnits({ videoId: { S: 'v1' } }, { videoId: { S: 'v1' } }, BY_STATUS, KEYS)).to.equal(
        0,
      );
    });

    it('is one put when the item enters the index and one delete when it leaves it', () => {
      expect(indexWriteUnits(undefined, item('READY', 1500), BY_STATUS, KEYS)).to.equal(2);
      expect(indexWriteUnits(item('READY', 1500), { videoId: { S: 'v1' } }, BY_STATUS, KEYS)).to.equal(2);
    });

    it('is a delete and a put when the index key changes', () => {
      expect(indexWriteUnits(item('PROCESSING'), item('READY'), BY_STATUS, KEYS)).to.equal(2);
    });

    it('is one put when only projected attributes change, none when nothing projected changes', () => {
      expect(indexWriteUnits(item('READY'), item('READY', 10), BY_STATUS, KEYS)).to.equal(1);
      expect(indexWriteUnits(item('READY'), item('READY'), BY_STATUS, KEYS)).to.equal(0);
      const keysOnly: IndexShape = { ...BY_STATUS, projection: 'KEYS_ONLY' };
      expect(indexWriteUnits(item('READY'), item('READY', 10), keysOnly, KEYS)).to.equal(0);
    });
  });
});
