import { expect } from 'chai';
import {
  mediaRequestCost,
  orchestrationCost,
  type PriceTable,
  readData,
  storageCostPerMonth,
  transcodingCost,
  type VodModel,
  vodOrchestrationCost,
} from '#bench/cost/pricing.ts';
import { UsageMeter } from '#local/usage';

const p = (value: number) => ({ value, unit: 'test', source: 'https://example.com', confirmed: true });
const PRICES: PriceTable = {
  region: 'us-east-1',
  currency: 'USD',
  readOn: '2026-12-01',
  prices: {
    'lambda.request': p(0.2e-6),
    'lambda.gbSecond.x86': p(16e-6),
    'lambda.gbSecond.arm64': p(12e-6),
    'dynamodb.onDemand.readRequestUnit': p(0.125e-6),
    'dynamodb.onDemand.writeRequestUnit': p(0.625e-6),
    's3.standard.putCopyPostList': p(5e-6),
    's3.standard.get': p(0.4e-6),
    's3.standard.storage': p(0.023),
    'sns.publish': p(0.5e-6),
    'sns.delivery.lambda': p(0),
    'sns.delivery.email': p(20e-6),
    'eventbridge.customEvent': p(1e-6),
    'stepFunctions.standard.stateTransition': p(25e-6),
    'sqs.standard.request': p(0.4e-6),
    'mediaconvert.basic.normalizedMinute': p(0.0075),
    'elasticTranscoder.sd': p(0.015),
    'elasticTranscoder.hd': p(0.03),
  },
};

const output = (
  resolution: 'SD' | 'HD' | 'UHD' | 'frame-capture',
  durationMs: number,
  backend = 'mediaconvert',
) => ({
  backend,
  resolution,
  durationMs,
  width: 0,
  height: 0,
});

describe('bench/cost: pricing', () => {
  describe('transcoding', () => {
    it('bills MediaConvert per output in whole seconds, at least 10, times 1, 2 or 4 by class', () => {
      const cost = transcodingCost(
        [output('SD', 4_000), output('HD', 10_400), output('UHD', 60_000), output('frame-capture', 10_000)],
        'mediaconvert',
        PRICES,
      );

      const normalized = 10 / 60 + (11 / 60) * 2 + 1 * 4 + 10 / 60;
      expect(cost.normalizedMinutes).to.be.closeTo(normalized, 1e-12);
      expect(cost.dollars).to.be.closeTo(normalized * 0.0075, 1e-12);
      expect(cost.videoMinutes).to.be.closeTo((4_000 + 10_400 + 60_000) / 60_000, 1e-12);
      expect(cost.minutes['frame-capture']).to.be.closeTo(10 / 60, 1e-12);
    });

    it('bills Elastic Transcoder per output minute, SD below 720 lines and HD from 720, prorated, other backends left out', () => {
      const cost = transcodingCost(
        [
          output('SD', 30_000, 'elastic-transcoder'),
          output('HD', 60_000, 'elastic-transcoder'),
          output('HD', 60_000),
        ],
        'elastic-transcoder',
        PRICES,
      );

      expect(cost.dollars).to.be.closeTo(0.5 * 0.015 + 0.03, 1e-12);
      expect(cost.normalizedMinutes).to.equal(0);
      expect(cost.videoMinutes).to.equal(1.5);
    });
  });

  describe('orchestration', () => {
    it("prices the functions' invocations, units and requests, and leaves out the benchmark's reads and the media requests", () => {
      const meter = new UsageMeter();
      meter.lambdaInvocation({ functionName: 'tv', memoryMb: 1024, architecture: 'arm64', durationMs: 1000 });
      meter.lambdaInvocation({ functionName: 'em', memoryMb: 512, architecture: 'x86_64', durationMs: 1000 });
      meter.dynamodbRequest('tv', { kind: 'write', units: 2, indexWriteUnits: 2 });
      meter.dynamodbRequest('em', { kind: 'read', units: 0.5 });
      meter.dynamodbRequest('client', { kind: 'read', units: 100 });
      meter.s3Request('em', 'tier1');
      meter.s3Request('ffprobe', 'tier2');
      meter.s3Request('client', 'tier1');
      meter.s3Request('mediaconvert', 'tier1');
      meter.snsPublish(10, ['lambda', 'lambda']);
      meter.eventBridgeEvent('service', 10, 1);
      const usage = meter.snapshot();

      const cost = orchestrationCost(usage, PRICES);

      expect(cost.lambda.invocations).to.equal(2);
      expect(cost.lambda.dollars).to.be.closeTo(2 * 0.2e-6 + 1 * 12e-6 + 0.5 * 16e-6, 1e-15);
      expect(cost.dynamodb).to.deep.include({ readUnits: 0.5, writeUnits: 4 });
      expect(cost.s3).to.deep.include({ tier1: 1, tier2: 1 });
      expect(cost.sns).to.deep.include({ publishes: 1, deliveries: 2 });
      expect(cost.eventbridge).to.deep.equal({ events: 0, dollars: 0 });
      const parts = cost.lambda.dollars + cost.dynamodb.dollars + cost.s3.dollars + cost.sns.dollars;
      expect(cost.dollars).to.be.closeTo(parts, 1e-15);
      expect(mediaRequestCost(usage, PRICES)).to.be.closeTo(2 * 5e-6, 1e-15);
    });

    it('sums current and noncurrent bytes at the GB-month price, a GB being 2^30 bytes', () => {
      const cost = storageCostPerMonth(
        {
          a: { current: 2 ** 30, noncurrent: 2 ** 29, objects: 2 },
          b: { current: 2 ** 29, noncurrent: 0, objects: 1 },
        },
        PRICES,
      );

      expect(cost).to.be.closeTo(2 * 0.023, 1e-12);
    });
  });

  describe('Video on Demand on AWS', () => {
    it('models 14 invocations of 9 functions and 24 state transitions, as counted in vod-stack.ts', () => {
      const model = readData<VodModel>('vod-orchestration.json');

      const cost = vodOrchestrationCost(model, PRICES);

      expect(cost.lambda.invocations).to.equal(14);
      expect(model.lambda).to.have.length(9);
      expect(cost.stepFunctions).to.deep.equal({ transitions: 24, dollars: 24 * 25e-6 });
      expect(model.source.commit).to.equal('8c2c20aa281fae2ed8d4cd38c36250e65b083398');
      expect(cost.lambda.gbSeconds).to.be.closeTo(0.4625, 1e-9);
    });
  });

  describe('the price table', () => {
    it('gives every price a number, an AWS source and a confirmed flag, read on one date', () => {
      const table = readData<PriceTable>('prices.json');

      expect(table.readOn).to.match(/^\d{4}-\d{2}-\d{2}$/);
      for (const id of Object.keys(PRICES.prices)) {
        expect(table.prices[id]?.value, id).to.be.a('number');
        expect(table.prices[id]?.source, id).to.match(/^https:\/\/aws\.amazon\.com\//);
        expect(table.prices[id]?.confirmed, id).to.be.a('boolean');
      }
    });
  });
});
