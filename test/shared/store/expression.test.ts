import { expect } from 'chai';
import { expressionAttributes } from '#shared/store/expression';

const NAMES = { '#status': 'status', '#updatedAt': 'updatedAt', '#probes': 'probes' };

describe('unit', () => {
  describe('expressionAttributes', () => {
    it('declares exactly the names the expressions use, and passes the values on', () => {
      // Act
      const attributes = expressionAttributes(['SET #updatedAt = :now', '#status = :transcoding'], NAMES, {
        ':now': '2026-12-01T00:00:00.000Z',
        ':transcoding': 'TRANSCODING',
      });

      // Assert
      expect(attributes).to.deep.equal({
        ExpressionAttributeNames: { '#updatedAt': 'updatedAt', '#status': 'status' },
        ExpressionAttributeValues: { ':now': '2026-12-01T00:00:00.000Z', ':transcoding': 'TRANSCODING' },
      });
    });

    it('refuses a name it does not declare, naming it', () => {
      expect(() => expressionAttributes(['SET #updatedat = :now'], NAMES, { ':now': 'x' })).to.throw(
        /#updatedat, which names no attribute/,
      );
    });

    it('refuses a value used but not given, and one given but not used', () => {
      expect(() => expressionAttributes(['SET #updatedAt = :now'], NAMES, { ':later': 'x' })).to.throw(
        /:now is used but not given; :later is given but not used/,
      );
    });
  });
});
