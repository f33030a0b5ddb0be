import { GetItemCommand, PutItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { expect } from 'chai';
import { type LocalDynamoDB, startDynamoDB, ttlFromTerraform } from '#local/emulators/dynamodb';

const TABLE = 'ttl-table';
const NOW = new Date('2026-11-24T12:00:00.000Z');
const NOW_SECONDS = NOW.getTime() / 1000;

describe('integration', () => {
  describe('DynamoDB emulator TTL (dynalite has none)', () => {
    let dynamo: LocalDynamoDB;
    let clock: Date;

    before(async () => {
      clock = NOW;
      dynamo = await startDynamoDB({
        region: 'us-east-1',
        maxAttempts: 1,
        clock: () => clock,
        ttlSweepMs: 0,
      });
      await dynamo.createTable({
        TableName: TABLE,
        BillingMode: 'PAY_PER_REQUEST',
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      });
      await dynamo.setTimeToLive(TABLE, 'expiresAt');
    });

    after(async () => {
      await dynamo.stop();
    });

    const put = (id: string, expiresAt?: { N: string } | { S: string }) =>
      dynamo.client.send(
        new PutItemCommand({ TableName: TABLE, Item: { id: { S: id }, ...(expiresAt && { expiresAt }) } }),
      );
    const ids = async () =>
      ((await dynamo.client.send(new ScanCommand({ TableName: TABLE }))).Items ?? [])
        .map((i) => i.id?.S)
        .sort();

    it('reads the TTL attribute of an enabled ttl block only', () => {
      expect(ttlFromTerraform({ ttl: { attribute_name: 'expiresAt', enabled: true } })).to.equal('expiresAt');
      expect(ttlFromTerraform({ ttl: [{ attribute_name: 'expiresAt', enabled: true }] })).to.equal(
        'expiresAt',
      );
      expect(ttlFromTerraform({ ttl: { attribute_name: 'expiresAt', enabled: false } })).to.equal(undefined);
      expect(ttlFromTerraform({})).to.equal(undefined);
    });

    it('deletes the items whose TTL has passed by the clock it is given, and nothing else', async () => {
      await put('expired', { N: String(NOW_SECONDS - 1) });
      await put('now', { N: String(NOW_SECONDS) });
      await put('later', { N: String(NOW_SECONDS + 3600) });
      await put('no-ttl');
      await put('not-a-number', { S: String(NOW_SECONDS - 1) });
      // DynamoDB ignores TTL values more than five years in the past.
      await put('ancient', { N: String(NOW_SECONDS - 6 * 365 * 24 * 3600) });

      const deleted = await dynamo.expireItems();

      expect(deleted).to.equal(2);
      expect(await ids()).to.deep.equal(['ancient', 'later', 'no-ttl', 'not-a-number']);
    });

    it('deletes an item once the clock passes its TTL', async () => {
      clock = new Date(NOW.getTime() + 2 * 3600 * 1000);

      await dynamo.expireItems();

      const later = await dynamo.client.send(
        new GetItemCommand({ TableName: TABLE, Key: { id: { S: 'later' } } }),
      );
      expect(later.Item).to.equal(undefined);
    });
  });
});
