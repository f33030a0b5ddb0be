import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { expect } from 'chai';
import { FaultRegistry, LOCAL_CREDENTIALS, s3FaultMatches, transcoderFaults } from '#local/emulators/common';
import { startDynamoDB } from '#local/emulators/dynamodb';
import { type LocalS3, startS3 } from '#local/emulators/s3';

describe('local cloud faults', () => {
  describe('FaultRegistry', () => {
    it('applies nothing unless a fault was injected', () => {
      expect(new FaultRegistry().take('s3', 'GET b/k')).to.equal(undefined);
    });

    it('fires a fault `count` times after letting `skip` matches through, then is spent', () => {
      const registry = new FaultRegistry();
      const fault = registry.inject({ service: 'lambda', function: 'f', kind: 'throw', skip: 1, count: 2 });

      const taken = [1, 2, 3, 4].map(() => registry.take('lambda', 'f')?.kind);

      expect(taken).to.deep.equal([undefined, 'throw', 'throw', undefined]);
      expect(fault.fired).to.equal(2);
      expect(registry.history.map((h) => h.on)).to.deep.equal(['f', 'f']);
    });

    it('fires a windowed fault on everything during its window, then never again', () => {
      let now = 1000;
      const registry = new FaultRegistry([{ service: 'dynamodb', kind: 'unreachable', ms: 500 }], () => now);

      const during = [registry.take('dynamodb', 'a'), registry.take('dynamodb', 'b')];
      now = 1600;
      const after = registry.take('dynamodb', 'c');

      expect(during.map((f) => f?.kind)).to.deep.equal(['unreachable', 'unreachable']);
      expect(after).to.equal(undefined);
    });

    it('applies only faults whose match holds, and none once cleared', () => {
      const registry = new FaultRegistry();
      const cleared = registry.inject({ service: 'events', kind: 'duplicate', target: 'x', count: 9 });
      registry.inject({ service: 'events', kind: 'delay', ms: 5, target: 'y' });

      const forY = registry.take('events', 'to y', (f) => f.target === 'y');
      cleared.clear();
      const forX = registry.take('events', 'to x', (f) => f.target === 'x');

      expect(forY?.kind).to.equal('delay');
      expect(forX).to.equal(undefined);
    });

    it('matches S3 requests by bucket, key and method', () => {
      const request = { bucket: 'b', key: 'videos/v/720p.mp4', method: 'PUT' };

      expect(s3FaultMatches({ bucket: 'b', keySuffix: '.mp4', method: 'put' }, request)).to.equal(true);
      expect(s3FaultMatches({ keyPrefix: 'uploads/' }, request)).to.equal(false);
      expect(s3FaultMatches({ method: 'GET' }, request)).to.equal(false);
    });

    it('gives the transcoders their job faults and their CreateJob stalls apart', () => {
      const registry = new FaultRegistry([
        { service: 'transcoder', kind: 'stall', operation: 'CreateJob', ms: 7 },
        { service: 'transcoder', kind: 'lose-completion' },
      ]);
      const hooks = transcoderFaults(registry);

      expect(hooks.job('j1')).to.equal('lose-completion');
      expect(hooks.job('j2')).to.equal(undefined);
      expect(hooks.stall('CreateJob')).to.equal(7);
    });
  });

  describe('hooks in the emulators', () => {
    let dir: string;
    let s3: LocalS3;
    const faults = new FaultRegistry();

    before(async () => {
      dir = await mkdtemp(join(tmpdir(), 'faults-'));
      s3 = await startS3({ dataDir: join(dir, 's3'), region: 'us-east-1', faults });
      await s3.createBucket('bucket-a');
      await s3.client.send(new PutObjectCommand({ Bucket: 'bucket-a', Key: 'k.mp4', Body: 'video' }));
    });
    afterEach(() => faults.clear());
    after(async () => {
      await s3?.stop();
      await rm(dir, { recursive: true, force: true });
    });

    it('S3 answers 503 SlowDown to matching object requests, which the SDK retries', async () => {
      const client = new S3Client({
        endpoint: s3.endpoint,
        region: 'us-east-1',
        credentials: LOCAL_CREDENTIALS,
        forcePathStyle: true,
        maxAttempts: 1,
      });
      faults.inject({ service: 's3', kind: 'slow-down', bucket: 'bucket-a', method: 'GET', count: 1 });

      const first = await client
        .send(new GetObjectCommand({ Bucket: 'bucket-a', Key: 'k.mp4' }))
        .catch((e: Error) => e);
      const second = await client.send(new GetObjectCommand({ Bucket: 'bucket-a', Key: 'k.mp4' }));
      client.destroy();

      expect(first).to.have.property('name', 'SlowDown');
      expect((first as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode).to.equal(503);
      expect(await second.Body?.transformToString()).to.equal('video');
    });

    it('S3 holds a matching request before serving it', async () => {
      faults.inject({ service: 's3', kind: 'stall', ms: 300, keyPrefix: 'k' });

      const object = await s3.client.send(new GetObjectCommand({ Bucket: 'bucket-a', Key: 'k.mp4' }));

      expect(await object.Body?.transformToString()).to.equal('video');
      expect(faults.history.at(-1)?.on).to.equal('GET bucket-a/k.mp4');
    });

    it('DynamoDB resets every connection while unreachable, and answers again after', async () => {
      const registry = new FaultRegistry();
      const dynamo = await startDynamoDB({ region: 'us-east-1', maxAttempts: 1, faults: registry });
      try {
        registry.inject({ service: 'dynamodb', kind: 'unreachable', ms: 300 });

        const during = await dynamo.client.send(new ListTablesCommand({})).catch((e: Error) => e);
        await new Promise((resolve) => setTimeout(resolve, 350));
        const after = await dynamo.client.send(new ListTablesCommand({}));

        expect(during).to.be.instanceOf(Error);
        expect(String((during as Error).message)).to.match(/socket hang up|ECONNRESET/);
        expect(after.TableNames).to.deep.equal([]);
      } finally {
        await dynamo.stop();
      }
    });
  });
});
