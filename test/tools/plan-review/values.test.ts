import { expect } from 'chai';
import { attributeChanges, formatPath, maskedAt, SENSITIVE, UNKNOWN } from '#tools/plan-review/values.ts';

describe('values', () => {
  describe('attributeChanges', () => {
    it('lists changed leaves with paths through maps and lists', () => {
      const before = { tags: { a: '1' }, rules: [{ days: 1 }], same: true };
      const after = { tags: { a: '2', 'b c': 'x' }, rules: [{ days: 1 }, { days: 7 }], same: true };

      expect(attributeChanges(before, after).map((c) => [c.path, c.before, c.after])).to.deep.equal([
        ['rules[1].days', 'null', '7'],
        ['tags.a', '"1"', '"2"'],
        ['tags["b c"]', 'null', '"x"'],
      ]);
    });

    it('masks sensitive leaves on either side and keeps the rest readable', () => {
      const changes = attributeChanges(
        { env: { TOKEN: 'old', MODE: 'a' } },
        { env: { TOKEN: 'new', MODE: 'b' } },
        { beforeSensitive: { env: { TOKEN: true } }, afterSensitive: { env: { TOKEN: true } } },
      );

      expect(changes.map((c) => [c.path, c.before, c.after])).to.deep.equal([
        ['env.MODE', '"a"', '"b"'],
        ['env.TOKEN', SENSITIVE, SENSITIVE],
      ]);
    });

    it('masks a whole value marked sensitive at the top', () => {
      const changes = attributeChanges(
        { secret: { a: 'x' } },
        { secret: { a: 'y' } },
        {
          beforeSensitive: { secret: true },
          afterSensitive: { secret: true },
        },
      );

      expect(changes).to.have.length(1);
      expect(JSON.stringify(changes)).not.to.match(/"x"|"y"/);
    });

    it('shows values missing from after but marked unknown as known after apply', () => {
      const changes = attributeChanges(
        { arn: 'a', name: 'n' },
        { name: 'n' },
        { afterUnknown: { arn: true, id: true } },
      );

      expect(changes.map((c) => [c.path, c.before, c.after])).to.deep.equal([
        ['arn', '"a"', UNKNOWN],
        ['id', 'null', UNKNOWN],
      ]);
    });

    it('treats semantically equal policy documents as unchanged', () => {
      const a = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject"}]}';
      const b =
        '{\n "Statement": [{"Action": "s3:GetObject", "Effect": "Allow"}],\n "Version": "2012-10-17"\n}';

      expect(attributeChanges({ policy: a }, { policy: b })).to.deep.equal([]);
    });
  });

  describe('maskedAt', () => {
    it('is true below a true mask and false elsewhere', () => {
      const mask = { env: [{ vars: true }] };

      expect(maskedAt(mask, ['env', 0, 'vars', 'X'])).to.equal(true);
      expect(maskedAt(mask, ['env', 1])).to.equal(false);
      expect(maskedAt(true, ['anything'])).to.equal(true);
      expect(maskedAt(false, ['x'])).to.equal(false);
    });
  });

  describe('formatPath', () => {
    it('quotes keys that are not identifiers', () => {
      expect(formatPath(['tags', 'aws:cloudformation', 0, 'x'])).to.equal('tags["aws:cloudformation"][0].x');
    });
  });
});
