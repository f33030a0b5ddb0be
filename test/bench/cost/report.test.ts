import { expect } from 'chai';
import type { OrchestrationCost } from '#bench/cost/pricing.ts';
import {
  evaluateTargets,
  markdownTable,
  minutesSaved,
  totalCost,
  usd,
  type VideoCost,
  videoTable,
} from '#bench/cost/report.ts';

const orchestration = (dollars: number): OrchestrationCost => ({
  lambda: { invocations: 0, gbSeconds: 0, dollars },
  dynamodb: { readUnits: 0, writeUnits: 0, dollars: 0 },
  s3: { tier1: 0, tier2: 0, dollars: 0 },
  sns: { publishes: 0, deliveries: 0, dollars: 0 },
  eventbridge: { events: 0, dollars: 0 },
  stepFunctions: { transitions: 0, dollars: 0 },
  other: { dollars: 0 },
  dollars,
});

const video = (
  source: string,
  ladder: 'source' | 'full',
  videoMinutes: number,
  dollars: { t: number; o: number },
): VideoCost => ({
  source,
  backend: 'mediaconvert',
  ladder,
  renditions: ladder === 'full' ? ['1080p', '720p', 'web-720p'] : ['web-720p'],
  transcoding: {
    minutes: { SD: videoMinutes, HD: 0, UHD: 0, 'frame-capture': 0 },
    videoMinutes,
    normalizedMinutes: videoMinutes,
    dollars: dollars.t,
  },
  orchestration: orchestration(dollars.o),
  mediaRequests: 0,
  storagePerMonth: 0,
});

describe('bench/cost: the report', () => {
  it('prints dollars with seven decimals below a tenth of a cent', () => {
    expect(usd(0.0000628)).to.equal('$0.0000628');
    expect(usd(0.00675)).to.equal('$0.00675');
    expect(usd(0)).to.equal('$0.00000');
  });

  it('writes a Markdown table', () => {
    expect(markdownTable(['a', 'b'], [['1', '2']])).to.equal('| a | b |\n| --- | --- |\n| 1 | 2 |');
  });

  it('measures the saving on video output minutes', () => {
    expect(
      minutesSaved(video('240p', 'source', 1, { t: 0, o: 0 }), video('240p', 'full', 3, { t: 0, o: 0 })),
    ).to.be.closeTo(2 / 3, 1e-12);
  });

  it('puts the source ladder beside the full one, per video', () => {
    const table = videoTable([
      {
        source: video('240p', 'source', 1 / 6, { t: 0.0025, o: 0.00006 }),
        full: video('240p', 'full', 0.5, { t: 0.005, o: 0.0001 }),
      },
    ]);

    expect(table.split('\n')[2]).to.equal(
      '| 240p | web-720p | SD 0.17 | SD 0.50 | 66.7 % | $0.00250 | $0.00500 | $0.0000600 | $0.0001000 | $0.00000 | $0.00000 |',
    );
  });

  describe('targets', () => {
    const names = { small: ['240p', '480p'], long: '1080p 60 s' };
    const pair = (name: string, source: number, full: number, o = 0.0001) => ({
      source: video(name, 'source', source, { t: 0.01, o }),
      full: video(name, 'full', full, { t: 0.03, o }),
    });

    it('passes each target when the measured value is within it', () => {
      const results = evaluateTargets(
        [pair('240p', 1, 3), pair('480p', 1.5, 3), pair('1080p 60 s', 3, 3, 0.0002)],
        orchestration(0.0007),
        names,
      );

      expect(results.map((r) => r.pass)).to.deep.equal([true, true, true]);
      expect(results[1]?.measured).to.equal(`2.0 % (${usd(0.0002)} of ${usd(0.0102)})`);
    });

    it('misses a target by the worst video: a small source saving under half, or orchestration over a third of VOD', () => {
      const results = evaluateTargets(
        [pair('240p', 1, 3), pair('480p', 2, 3), pair('1080p 60 s', 3, 3, 0.0003)],
        orchestration(0.0007),
        names,
      );

      expect(results.map((r) => r.pass)).to.deep.equal([false, false, false]);
      expect(totalCost(pair('1080p 60 s', 3, 3, 0.0003).source)).to.be.closeTo(0.0103, 1e-12);
    });
  });
});
