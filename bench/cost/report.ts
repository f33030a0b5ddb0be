import type { OrchestrationCost, TranscodingCost } from './pricing.ts';

/** The ladder a run used: each source's own, or every rendition. */
export type Ladder = 'source' | 'full';

/** What one video cost on one backend with one ladder. */
export interface VideoCost {
  readonly source: string;
  readonly backend: string;
  readonly ladder: Ladder;
  readonly renditions: readonly string[];
  readonly transcoding: TranscodingCost;
  readonly orchestration: OrchestrationCost;
  /** The upload's and the transcoder's own S3 requests. */
  readonly mediaRequests: number;
  readonly storagePerMonth: number;
  /** A full-ladder figure taken from the source-ladder run, whose ladder was already the full one. */
  readonly sameRun?: boolean;
}

/** A benchmark target with its measured value. */
export interface TargetResult {
  readonly name: string;
  readonly measured: string;
  readonly pass: boolean;
}

/** Dollars with enough digits for amounts of a millionth of a dollar. */
export const usd = (value: number) => `$${value.toFixed(value !== 0 && Math.abs(value) < 0.001 ? 7 : 5)}`;
const minutes = (value: number) => value.toFixed(2);
const percent = (value: number) => `${(value * 100).toFixed(1)} %`;

/** One-time cost of a video: transcoding, orchestration and the media's S3 requests (storage is per month). */
export const totalCost = (video: VideoCost) =>
  video.transcoding.dollars + video.orchestration.dollars + video.mediaRequests;

/** The share of video output minutes the source ladder saves against the full one. */
export function minutesSaved(source: VideoCost, full: VideoCost): number {
  return full.transcoding.videoMinutes === 0
    ? 0
    : 1 - source.transcoding.videoMinutes / full.transcoding.videoMinutes;
}

/** A Markdown table. */
export function markdownTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return [line(headers), line(headers.map(() => '---')), ...rows.map(line)].join('\n');
}

const classMinutes = (t: TranscodingCost) =>
  (['SD', 'HD', 'UHD'] as const)
    .filter((c) => t.minutes[c] > 0)
    .map((c) => `${c} ${minutes(t.minutes[c])}`)
    .join(', ') || '0';

/** The per-video table of one backend: the source ladder beside the full one. */
export function videoTable(pairs: readonly { source: VideoCost; full?: VideoCost }[]): string {
  return markdownTable(
    [
      'video',
      'renditions',
      'output min (source)',
      'output min (full)',
      'saved',
      'transcoding $',
      'full-ladder $',
      'orchestration $',
      'full-ladder $',
      'storage $/month',
      'full-ladder $/month',
    ],
    pairs.map(({ source, full }) => [
      source.source,
      source.renditions.join(', '),
      classMinutes(source.transcoding),
      full ? classMinutes(full.transcoding) : '–',
      full ? `${percent(minutesSaved(source, full))}${full.sameRun ? ' (same job)' : ''}` : '–',
      usd(source.transcoding.dollars),
      full ? usd(full.transcoding.dollars) : '–',
      usd(source.orchestration.dollars),
      full ? usd(full.orchestration.dollars) : '–',
      usd(source.storagePerMonth),
      full ? usd(full.storagePerMonth) : '–',
    ]),
  );
}

/** Orchestration by service, one row per video (and Video on Demand's at the end). */
export function orchestrationTable(rows: readonly { label: string; cost: OrchestrationCost }[]): string {
  return markdownTable(
    [
      'video',
      'Lambda (invocations, GB-s)',
      'DynamoDB (RRU, WRU)',
      'S3 (tier 1, tier 2)',
      'SNS (publishes, deliveries)',
      'EventBridge',
      'Step Functions',
      'SQS, e-mail',
      'total',
    ],
    rows.map(({ label, cost }) => [
      label,
      `${usd(cost.lambda.dollars)} (${cost.lambda.invocations}, ${cost.lambda.gbSeconds.toFixed(2)})`,
      `${usd(cost.dynamodb.dollars)} (${cost.dynamodb.readUnits}, ${cost.dynamodb.writeUnits})`,
      `${usd(cost.s3.dollars)} (${cost.s3.tier1}, ${cost.s3.tier2})`,
      `${usd(cost.sns.dollars)} (${cost.sns.publishes}, ${cost.sns.deliveries})`,
      `${usd(cost.eventbridge.dollars)} (${cost.eventbridge.events})`,
      cost.stepFunctions.transitions > 0
        ? `${usd(cost.stepFunctions.dollars)} (${cost.stepFunctions.transitions})`
        : '–',
      cost.other.dollars > 0 ? usd(cost.other.dollars) : '–',
      usd(cost.dollars),
    ]),
  );
}

/**
 * The three targets on one backend's results: (1) the 240p and 480p sources make at least 50 %
 * fewer video output minutes than the full ladder; (2) orchestration is at most 2 % of the 60 s 1080p
 * video's one-time total; (3) every video's orchestration is at most a third of Video on Demand's.
 */
export function evaluateTargets(
  pairs: readonly { source: VideoCost; full?: VideoCost }[],
  vod: OrchestrationCost,
  names: { small: readonly string[]; long: string },
): TargetResult[] {
  const results: TargetResult[] = [];
  const small = pairs.filter((p) => names.small.includes(p.source.source));
  if (small.length > 0 && small.every((p) => p.full)) {
    const saved = small.map((p) => ({
      name: p.source.source,
      saved: minutesSaved(p.source, p.full as VideoCost),
    }));
    results.push({
      name: `${names.small.join(' and ')}: ≥ 50 % fewer output minutes than the full ladder`,
      measured: saved.map((s) => `${s.name} ${percent(s.saved)}`).join(', '),
      pass: saved.every((s) => s.saved >= 0.5),
    });
  }
  const long = pairs.find((p) => p.source.source === names.long)?.source;
  if (long) {
    const share = long.orchestration.dollars / totalCost(long);
    results.push({
      name: `orchestration ≤ 2 % of the ${names.long} video's total`,
      measured: `${percent(share)} (${usd(long.orchestration.dollars)} of ${usd(totalCost(long))})`,
      pass: share <= 0.02,
    });
  }
  if (pairs.length > 0) {
    const worst = pairs.reduce((a, b) =>
      b.source.orchestration.dollars > a.source.orchestration.dollars ? b : a,
    ).source;
    const ratio = worst.orchestration.dollars / vod.dollars;
    results.push({
      name: 'orchestration ≤ 1/3 of Video on Demand on AWS per video',
      measured: `${ratio.toFixed(3)}× at most (${worst.source}: ${usd(worst.orchestration.dollars)} vs ${usd(vod.dollars)})`,
      pass: ratio <= 1 / 3,
    });
  }
  return results;
}
