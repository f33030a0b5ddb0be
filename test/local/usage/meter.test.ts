import type { IncomingHttpHeaders } from 'node:http';
import { expect } from 'chai';
import { diffUsage, requesterOf, resolutionClass, s3RequestTier, UsageMeter } from '#local/usage';

const q = (query: string) => new URLSearchParams(query);

describe('local/usage: the meter', () => {
  describe('Lambda', () => {
    it('bills each invocation rounded up to the millisecond at its memory, init included', () => {
      const meter = new UsageMeter();
      meter.lambdaInvocation({ functionName: 'f', memoryMb: 1024, architecture: 'arm64', durationMs: 99.2 });
      meter.lambdaInvocation({
        functionName: 'f',
        memoryMb: 1024,
        architecture: 'arm64',
        durationMs: 0.4,
        initMs: 200,
      });

      const usage = meter.snapshot().lambda.f;
      expect(usage).to.include({
        invocations: 2,
        billedMs: 100 + 201,
        memoryMb: 1024,
        architecture: 'arm64',
      });
      expect(usage?.gbSeconds).to.be.closeTo(0.301, 1e-9);
      expect(usage?.initMs).to.equal(200);
    });
  });

  describe('SNS and EventBridge', () => {
    it('counts a publish per started 64 KB and a delivery per subscription reached', () => {
      const meter = new UsageMeter();
      meter.snsPublish(100, ['lambda', 'lambda']);
      meter.snsPublish(64 * 1024 + 1, ['sqs']);

      expect(meter.snapshot().sns).to.deep.equal({
        publishes: 2,
        billedPublishes: 3,
        deliveries: { lambda: 2, sqs: 1 },
      });
    });

    it('keeps AWS service events apart from custom ones, which count per started 64 KB', () => {
      const meter = new UsageMeter();
      meter.eventBridgeEvent('service', 500, 1);
      meter.eventBridgeEvent('custom', 70 * 1024, 2);

      expect(meter.snapshot().eventbridge).to.deep.equal({
        serviceEvents: 1,
        customEvents: 2,
        deliveries: 3,
      });
    });
  });

  describe('transcoder outputs', () => {
    it('classes outputs by their short side: SD below 720 lines, HD to 1080, UHD above', () => {
      const sizes: [number, number][] = [
        [854, 480],
        [1280, 719],
        [1280, 720],
        [1920, 1080],
        [2048, 1081],
        [3840, 2160],
      ];
      expect(sizes.map(([w, h]) => resolutionClass(w, h))).to.deep.equal([
        'SD',
        'SD',
        'HD',
        'HD',
        'UHD',
        'UHD',
      ]);
    });

    it('classes a portrait output as the landscape one of its size', () => {
      expect(resolutionClass(1080, 1920)).to.equal('HD');
      expect(resolutionClass(720, 1280)).to.equal('HD');
      expect(resolutionClass(608, 1080)).to.equal('SD');
    });

    it('keeps every output with its class, frame captures apart', () => {
      const meter = new UsageMeter();
      meter.transcoderOutput({ backend: 'mediaconvert', durationMs: 10_000, width: 1920, height: 1080 });
      meter.transcoderOutput({
        backend: 'mediaconvert',
        durationMs: 10_000,
        width: 640,
        height: 360,
        frameCapture: true,
      });

      expect(meter.snapshot().transcoderOutputs.map((o) => o.resolution)).to.deep.equal([
        'HD',
        'frame-capture',
      ]);
    });
  });

  describe('diff', () => {
    it('subtracts counters, keeps configuration, leaves out what did not change, and lists only new outputs', () => {
      const meter = new UsageMeter();
      meter.lambdaInvocation({ functionName: 'a', memoryMb: 256, architecture: 'arm64', durationMs: 10 });
      meter.lambdaInvocation({ functionName: 'b', memoryMb: 512, architecture: 'x86_64', durationMs: 10 });
      meter.s3Request('a', 'tier1');
      meter.transcoderOutput({ backend: 'mediaconvert', durationMs: 1000, width: 320, height: 240 });
      const before = meter.snapshot();
      meter.lambdaInvocation({ functionName: 'a', memoryMb: 256, architecture: 'arm64', durationMs: 4.5 });
      meter.dynamodbRequest('a', { kind: 'write', units: 2, indexWriteUnits: 3 });
      meter.s3Request('a', 'tier2');
      meter.transcoderOutput({ backend: 'mediaconvert', durationMs: 2000, width: 1280, height: 720 });

      const diff = diffUsage(before, meter.snapshot());

      expect(Object.keys(diff.lambda)).to.deep.equal(['a']);
      expect(diff.lambda.a).to.include({ invocations: 1, billedMs: 5, memoryMb: 256, architecture: 'arm64' });
      expect(diff.dynamodb.a).to.deep.equal({
        readRequests: 0,
        writeRequests: 1,
        readUnits: 0,
        writeUnits: 2,
        indexWriteUnits: 3,
      });
      expect(diff.s3.a).to.deep.equal({ tier1: 0, tier2: 1, free: 0 });
      expect(diff.transcoderOutputs).to.deep.equal([
        { backend: 'mediaconvert', resolution: 'HD', durationMs: 2000, width: 1280, height: 720 },
      ]);
    });
  });

  describe('S3 price classes', () => {
    it('puts PUT, POST, COPY and LIST in tier 1, GET, HEAD and the rest in tier 2, DELETE free', () => {
      expect(s3RequestTier('PUT', { bucket: 'b', key: 'k' }, q(''))).to.equal('tier1');
      expect(s3RequestTier('POST', { bucket: 'b' }, q(''))).to.equal('tier1');
      expect(s3RequestTier('GET', { bucket: 'b' }, q('list-type=2&prefix=a'))).to.equal('tier1');
      expect(s3RequestTier('GET', { bucket: 'b' }, q('versions'))).to.equal('tier1');
      expect(s3RequestTier('GET', {}, q(''))).to.equal('tier1');
      expect(s3RequestTier('GET', { bucket: 'b', key: 'k' }, q('uploadId=1'))).to.equal('tier1');
      expect(s3RequestTier('GET', { bucket: 'b', key: 'k' }, q(''))).to.equal('tier2');
      expect(s3RequestTier('GET', { bucket: 'b', key: 'k' }, q('tagging'))).to.equal('tier2');
      expect(s3RequestTier('GET', { bucket: 'b' }, q('cors'))).to.equal('tier2');
      expect(s3RequestTier('HEAD', { bucket: 'b', key: 'k' }, q(''))).to.equal('tier2');
      expect(s3RequestTier('OPTIONS', { bucket: 'b', key: 'k' }, q(''))).to.equal('tier2');
      expect(s3RequestTier('DELETE', { bucket: 'b', key: 'k' }, q(''))).to.equal('free');
    });
  });

  describe('requesters', () => {
    const headers = (agent: string): IncomingHttpHeaders => ({ 'x-amz-user-agent': agent });

    it('names a request by the SDK app id, without the marker Powertools appends', () => {
      expect(
        requesterOf(
          headers(
            'aws-sdk-js/3.1 ua/2.1 app/24hv-local-transcode-video-PT-NO-OP-2.36.0-PTEnv-AWS_Lambda_nodejs22.x',
          ),
        ),
      ).to.equal('24hv-local-transcode-video');
      expect(requesterOf(headers('aws-sdk-js/3.1 app/mediaconvert'))).to.equal('mediaconvert');
    });

    it('names ffprobe reading a presigned URL, and anything else the client', () => {
      expect(requesterOf({ 'user-agent': 'Lavf/61.1.100' })).to.equal('ffprobe');
      expect(requesterOf({ 'user-agent': 'aws-sdk-js/3.1' })).to.equal('client');
      expect(requesterOf({})).to.equal('client');
    });
  });
});
