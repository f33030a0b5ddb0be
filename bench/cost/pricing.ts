import { readFileSync } from 'node:fs';
import type { ResolutionClass, StoredBytes, TranscoderOutput, UsageSnapshot } from '#local/usage';

/** One price of `prices.json`. */
export interface Price {
  readonly value: number;
  readonly unit: string;
  readonly source: string;
  readonly confirmed: boolean;
  readonly note?: string;
}

/** The price table: `bench/cost/prices.json`. */
export interface PriceTable {
  readonly region: string;
  readonly currency: string;
  readonly readOn: string;
  readonly prices: Readonly<Record<string, Price | (Omit<Price, 'value'> & { value: unknown })>>;
}

/** The model of Video on Demand on AWS: `bench/cost/vod-orchestration.json`. */
export interface VodModel {
  readonly version: string;
  readonly source: {
    readonly repo: string;
    readonly commit: string;
    readonly file: string;
    readonly url: string;
  };
  readonly stateMachines: readonly {
    readonly name: string;
    readonly lines: string;
    readonly transitions: number;
  }[];
  readonly lambda: readonly {
    readonly function: string;
    readonly invocations: number;
    readonly memoryMb: number;
    readonly architecture: string;
    readonly assumedDurationMs: number;
  }[];
  readonly dynamodb: { readonly writeUnits: number; readonly readUnits: number };
  readonly sns: { readonly publishes: number; readonly emailDeliveries: number };
  readonly sqs: { readonly requests: number };
  readonly eventbridge: { readonly customEvents: number };
  readonly s3: { readonly tier1: number; readonly tier2: number };
}

/** Reads a JSON data file next to this module. */
export function readData<T>(name: string): T {
  return JSON.parse(readFileSync(new URL(`./${name}`, import.meta.url), 'utf8')) as T;
}

/** A numeric price by id; throws when the table lacks it or it is not a number. */
export function price(table: PriceTable, id: string): number {
  const value = table.prices[id]?.value;
  if (typeof value !== 'number') throw new Error(`prices.json has no numeric price "${id}".`);
  return value;
}

/** The output classes a table prints, still images last. */
export const OUTPUT_CLASSES = ['SD', 'HD', 'UHD', 'frame-capture'] as const;

/** Output minutes per class. */
export type MinutesByClass = Readonly<Record<(typeof OUTPUT_CLASSES)[number], number>>;

/** The transcoding bill of some outputs of one backend. */
export interface TranscodingCost {
  /** Output minutes as measured (each output's duration), by class. */
  readonly minutes: MinutesByClass;
  /** Video output minutes (frame captures left out): what the ladder changes. */
  readonly videoMinutes: number;
  /** MediaConvert's normalized minutes (0 for Elastic Transcoder). */
  readonly normalizedMinutes: number;
  readonly dollars: number;
}

const MEDIACONVERT_MULTIPLIER: Record<ResolutionClass, number> = { SD: 1, HD: 2, UHD: 4 };

/**
 * What a backend bills for these outputs. MediaConvert (Basic tier): each output's duration in whole
 * seconds, at least 10, times its class's multiplier, is normalized minutes at one rate; a frame capture
 * as an SD output of its duration. Elastic Transcoder: output minutes at the SD rate below 720 lines,
 * the HD rate from 720 up, prorated.
 */
export function transcodingCost(
  outputs: readonly TranscoderOutput[],
  backend: string,
  prices: PriceTable,
): TranscodingCost {
  const minutes = { SD: 0, HD: 0, UHD: 0, 'frame-capture': 0 };
  let normalizedMinutes = 0;
  let dollars = 0;
  for (const output of outputs.filter((o) => o.backend === backend)) {
    const outputMinutes = output.durationMs / 60_000;
    minutes[output.resolution] += outputMinutes;
    const billedClass: ResolutionClass = output.resolution === 'frame-capture' ? 'SD' : output.resolution;
    if (backend === 'mediaconvert') {
      const billedSeconds = Math.max(10, Math.ceil(output.durationMs / 1000));
      const normalized = (billedSeconds / 60) * MEDIACONVERT_MULTIPLIER[billedClass];
      normalizedMinutes += normalized;
      dollars += normalized * price(prices, 'mediaconvert.basic.normalizedMinute');
    } else {
      dollars +=
        outputMinutes * price(prices, billedClass === 'SD' ? 'elasticTranscoder.sd' : 'elasticTranscoder.hd');
    }
  }
  return {
    minutes,
    videoMinutes: minutes.SD + minutes.HD + minutes.UHD,
    normalizedMinutes,
    dollars,
  };
}

/** Orchestration dollars by service, with the counts they come from. */
export interface OrchestrationCost {
  readonly lambda: { readonly invocations: number; readonly gbSeconds: number; readonly dollars: number };
  readonly dynamodb: { readonly readUnits: number; readonly writeUnits: number; readonly dollars: number };
  readonly s3: { readonly tier1: number; readonly tier2: number; readonly dollars: number };
  readonly sns: { readonly publishes: number; readonly deliveries: number; readonly dollars: number };
  readonly eventbridge: { readonly events: number; readonly dollars: number };
  /** Step Functions (Video on Demand only). */
  readonly stepFunctions: { readonly transitions: number; readonly dollars: number };
  /** SQS and SNS e-mail (Video on Demand only). */
  readonly other: { readonly dollars: number };
  readonly dollars: number;
}

/** S3 requests that are media, not orchestration: the upload itself and the transcoders' reads and writes. */
export const MEDIA_REQUESTERS: ReadonlySet<string> = new Set([
  'client',
  'mediaconvert',
  'elastic-transcoder',
]);

const lambdaGbSecondPrice = (prices: PriceTable, architecture: string) =>
  price(prices, architecture === 'arm64' ? 'lambda.gbSecond.arm64' : 'lambda.gbSecond.x86');

/** What the orchestration of one video counted, service by service. */
interface OrchestrationCounts {
  readonly invocations: number;
  /** GB-s by architecture (`arm64`, `x86_64`). */
  readonly gbSeconds: Readonly<Record<string, number>>;
  readonly readUnits: number;
  readonly writeUnits: number;
  readonly tier1: number;
  readonly tier2: number;
  readonly publishes: number;
  readonly lambdaDeliveries: number;
  readonly emailDeliveries: number;
  readonly customEvents: number;
  readonly transitions: number;
  readonly sqsRequests: number;
}

function priceOrchestration(c: OrchestrationCounts, prices: PriceTable): OrchestrationCost {
  const gb = Object.entries(c.gbSeconds);
  const parts = {
    lambda: {
      invocations: c.invocations,
      gbSeconds: gb.reduce((sum, [, n]) => sum + n, 0),
      dollars:
        c.invocations * price(prices, 'lambda.request') +
        gb.reduce((sum, [arch, n]) => sum + n * lambdaGbSecondPrice(prices, arch), 0),
    },
    dynamodb: {
      readUnits: c.readUnits,
      writeUnits: c.writeUnits,
      dollars:
        c.readUnits * price(prices, 'dynamodb.onDemand.readRequestUnit') +
        c.writeUnits * price(prices, 'dynamodb.onDemand.writeRequestUnit'),
    },
    s3: {
      tier1: c.tier1,
      tier2: c.tier2,
      dollars:
        c.tier1 * price(prices, 's3.standard.putCopyPostList') + c.tier2 * price(prices, 's3.standard.get'),
    },
    sns: {
      publishes: c.publishes,
      deliveries: c.lambdaDeliveries + c.emailDeliveries,
      dollars:
        c.publishes * price(prices, 'sns.publish') +
        c.lambdaDeliveries * price(prices, 'sns.delivery.lambda') +
        c.emailDeliveries * price(prices, 'sns.delivery.email'),
    },
    eventbridge: {
      events: c.customEvents,
      dollars: c.customEvents * price(prices, 'eventbridge.customEvent'),
    },
    stepFunctions: {
      transitions: c.transitions,
      dollars: c.transitions * price(prices, 'stepFunctions.standard.stateTransition'),
    },
    other: { dollars: c.sqsRequests * price(prices, 'sqs.standard.request') },
  };
  return { ...parts, dollars: Object.values(parts).reduce((sum, part) => sum + part.dollars, 0) };
}

/**
 * What the pipeline's glue cost in `usage`: every Lambda invocation (each at its architecture's GB-s
 * price), the functions' DynamoDB request units (table and indexes), the functions' S3 requests (their
 * SDK calls and the presigned reads ffprobe makes for them), SNS publishes and deliveries, custom
 * EventBridge events. The benchmark's own reads and the media requests are left out.
 */
export function orchestrationCost(usage: UsageSnapshot, prices: PriceTable): OrchestrationCost {
  const functions = Object.values(usage.lambda);
  const gbSeconds: Record<string, number> = {};
  for (const f of functions) gbSeconds[f.architecture] = (gbSeconds[f.architecture] ?? 0) + f.gbSeconds;
  const tables = Object.entries(usage.dynamodb)
    .filter(([requester]) => requester in usage.lambda)
    .map(([, u]) => u);
  const requests = Object.entries(usage.s3)
    .filter(([requester]) => !MEDIA_REQUESTERS.has(requester))
    .map(([, u]) => u);
  const deliveries = Object.values(usage.sns.deliveries).reduce((sum, n) => sum + n, 0);
  return priceOrchestration(
    {
      invocations: functions.reduce((sum, f) => sum + f.invocations, 0),
      gbSeconds,
      readUnits: tables.reduce((sum, t) => sum + t.readUnits, 0),
      writeUnits: tables.reduce((sum, t) => sum + t.writeUnits + t.indexWriteUnits, 0),
      tier1: requests.reduce((sum, r) => sum + r.tier1, 0),
      tier2: requests.reduce((sum, r) => sum + r.tier2, 0),
      publishes: usage.sns.billedPublishes,
      // Only Lambda subscribers exist in the stack; any other protocol is priced as one too.
      lambdaDeliveries: deliveries,
      emailDeliveries: 0,
      customEvents: usage.eventbridge.customEvents,
      transitions: 0,
      sqsRequests: 0,
    },
    prices,
  );
}

/** The S3 requests that are media (the upload, the transcoder's reads and writes), priced. */
export function mediaRequestCost(usage: UsageSnapshot, prices: PriceTable): number {
  return Object.entries(usage.s3)
    .filter(([requester]) => MEDIA_REQUESTERS.has(requester))
    .reduce(
      (sum, [, r]) =>
        sum +
        r.tier1 * price(prices, 's3.standard.putCopyPostList') +
        r.tier2 * price(prices, 's3.standard.get'),
      0,
    );
}

/** Dollars per month for the bytes stored (current and noncurrent alike), S3 Standard; GB = 2^30 bytes. */
export function storageCostPerMonth(
  stored: Readonly<Record<string, StoredBytes>>,
  prices: PriceTable,
): number {
  const bytes = Object.values(stored).reduce((sum, b) => sum + b.current + b.noncurrent, 0);
  return (bytes / 2 ** 30) * price(prices, 's3.standard.storage');
}

/** Video on Demand on AWS's orchestration for one video, from its model, at the same prices. */
export function vodOrchestrationCost(model: VodModel, prices: PriceTable): OrchestrationCost {
  const gbSeconds: Record<string, number> = {};
  for (const f of model.lambda) {
    gbSeconds[f.architecture] =
      (gbSeconds[f.architecture] ?? 0) + f.invocations * (f.memoryMb / 1024) * (f.assumedDurationMs / 1000);
  }
  return priceOrchestration(
    {
      invocations: model.lambda.reduce((sum, f) => sum + f.invocations, 0),
      gbSeconds,
      readUnits: model.dynamodb.readUnits,
      writeUnits: model.dynamodb.writeUnits,
      tier1: model.s3.tier1,
      tier2: model.s3.tier2,
      publishes: model.sns.publishes,
      lambdaDeliveries: 0,
      emailDeliveries: model.sns.emailDeliveries,
      customEvents: model.eventbridge.customEvents,
      transitions: model.stateMachines.reduce((sum, m) => sum + m.transitions, 0),
      sqsRequests: model.sqs.requests,
    },
    prices,
  );
}
