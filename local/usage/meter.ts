import { type ResolutionClass, resolutionClass } from './transcoder.ts';

/** Counters of one Lambda function: what Lambda bills it for. */
export interface LambdaUsage {
  readonly memoryMb: number;
  readonly architecture: string;
  readonly invocations: number;
  /** Handler time as measured, plus init time of the invocations that started a container. */
  readonly durationMs: number;
  /** Of `durationMs`, the init phases (billed since 2025-08-01: https://aws.amazon.com/blogs/compute/aws-lambda-standardizes-billing-for-init-phase/). */
  readonly initMs: number;
  /** Each invocation's duration rounded up to the millisecond, summed. */
  readonly billedMs: number;
  /** `memoryMb / 1024 × billedMs / 1000`, summed per invocation. */
  readonly gbSeconds: number;
}

/** DynamoDB requests of one requester (a function's name, or `client`), in request units as on-demand mode bills them. */
export interface DynamoDBUsage {
  readonly readRequests: number;
  readonly writeRequests: number;
  readonly readUnits: number;
  /** The table's own write units. */
  readonly writeUnits: number;
  /** Write units the global secondary indexes consumed (billed like the table's). */
  readonly indexWriteUnits: number;
}

/** S3 requests of one requester (a function's name, a transcoder, or `client`), by price class. */
export interface S3Usage {
  /** PUT, COPY, POST, LIST (and the other requests S3 bills at the PUT rate). */
  readonly tier1: number;
  /** GET, HEAD and every other request. */
  readonly tier2: number;
  /** DELETE (free). */
  readonly free: number;
}

/** One output a transcoder finished. */
export interface TranscoderOutput {
  readonly backend: string;
  /** By the short side of the displayed frame; `frame-capture` for still images (a poster). */
  readonly resolution: ResolutionClass | 'frame-capture';
  readonly durationMs: number;
  readonly width: number;
  readonly height: number;
}

/** Every counter of the local cloud at one moment. */
export interface UsageSnapshot {
  readonly lambda: Readonly<Record<string, LambdaUsage>>;
  readonly dynamodb: Readonly<Record<string, DynamoDBUsage>>;
  readonly s3: Readonly<Record<string, S3Usage>>;
  readonly sns: {
    readonly publishes: number;
    /** Publishes counted as SNS bills them: one per started 64 KB of payload. */
    readonly billedPublishes: number;
    /** Deliveries by subscription protocol (`lambda`, `sqs`, ...). */
    readonly deliveries: Readonly<Record<string, number>>;
  };
  readonly eventbridge: {
    /** Events AWS services put on the default bus (S3, MediaConvert, schedules): free. */
    readonly serviceEvents: number;
    /** Events put with PutEvents by our code: billed per started 64 KB. */
    readonly customEvents: number;
    /** Targets invoked by matching rules. */
    readonly deliveries: number;
  };
  /** Every output finished so far, in order (each is billed on its own duration). */
  readonly transcoderOutputs: readonly TranscoderOutput[];
}

/** Bytes stored per bucket: current objects and noncurrent versions. */
export interface StoredBytes {
  readonly current: number;
  readonly noncurrent: number;
  readonly objects: number;
}

/** The usage counters of a running local cloud. */
export interface LocalUsage {
  readonly meter: UsageMeter;
  /** Every counter now; {@link diffUsage} two of them for what happened in between. */
  snapshot(): UsageSnapshot;
  /** Bytes each bucket of the stack stores now (the meter's own listing is not counted as requests). */
  storedBytes(): Promise<Record<string, StoredBytes>>;
}

const KB64 = 64 * 1024;

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * The local cloud's usage counters: each emulator reports what it served (an invocation, a request, a
 * publish, a transcoded output) and the meter adds it up the way AWS bills it. Tests and `bench:cost`
 * take a {@link UsageMeter.snapshot} before and after and {@link diffUsage} them.
 */
export class UsageMeter {
  private readonly lambda = new Map<string, Mutable<LambdaUsage>>();
  private readonly dynamodb = new Map<string, Mutable<DynamoDBUsage>>();
  private readonly s3 = new Map<string, Mutable<S3Usage>>();
  private readonly sns = { publishes: 0, billedPublishes: 0, deliveries: new Map<string, number>() };
  private readonly eventbridge = { serviceEvents: 0, customEvents: 0, deliveries: 0 };
  private readonly outputs: TranscoderOutput[] = [];

  /** One invocation of a function: `durationMs` of handler time, `initMs` when it started a container. */
  lambdaInvocation(entry: {
    functionName: string;
    memoryMb: number;
    architecture: string;
    durationMs: number;
    initMs?: number;
  }): void {
    const usage = this.lambda.get(entry.functionName) ?? {
      memoryMb: entry.memoryMb,
      architecture: entry.architecture,
      invocations: 0,
      durationMs: 0,
      initMs: 0,
      billedMs: 0,
      gbSeconds: 0,
    };
    const duration = entry.durationMs + (entry.initMs ?? 0);
    const billedMs = Math.max(1, Math.ceil(duration));
    usage.invocations += 1;
    usage.durationMs += duration;
    usage.initMs += entry.initMs ?? 0;
    usage.billedMs += billedMs;
    usage.gbSeconds += (entry.memoryMb / 1024) * (billedMs / 1000);
    this.lambda.set(entry.functionName, usage);
  }

  /** One DynamoDB request and the units it consumed (see `./dynamodb-capacity.ts` for the rules). */
  dynamodbRequest(
    requester: string,
    units: { kind: 'read' | 'write'; units: number; indexWriteUnits?: number },
  ): void {
    const usage = this.dynamodb.get(requester) ?? {
      readRequests: 0,
      writeRequests: 0,
      readUnits: 0,
      writeUnits: 0,
      indexWriteUnits: 0,
    };
    if (units.kind === 'read') {
      usage.readRequests += 1;
      usage.readUnits += units.units;
    } else {
      usage.writeRequests += 1;
      usage.writeUnits += units.units;
      usage.indexWriteUnits += units.indexWriteUnits ?? 0;
    }
    this.dynamodb.set(requester, usage);
  }

  /** One S3 request of `requester`, in its price class (`./s3.ts` decides the class). */
  s3Request(requester: string, tier: keyof S3Usage): void {
    const usage = this.s3.get(requester) ?? { tier1: 0, tier2: 0, free: 0 };
    usage[tier] += 1;
    this.s3.set(requester, usage);
  }

  /** One SNS publish of `bytes` of payload, delivered to subscriptions of these protocols. */
  snsPublish(bytes: number, protocols: readonly string[]): void {
    this.sns.publishes += 1;
    this.sns.billedPublishes += Math.max(1, Math.ceil(bytes / KB64));
    for (const protocol of protocols) {
      this.sns.deliveries.set(protocol, (this.sns.deliveries.get(protocol) ?? 0) + 1);
    }
  }

  /** One event on a bus: `service` for what AWS services emit, `custom` for PutEvents; `targets` it reached. */
  eventBridgeEvent(kind: 'service' | 'custom', bytes: number, targets: number): void {
    if (kind === 'service') this.eventbridge.serviceEvents += 1;
    else this.eventbridge.customEvents += Math.max(1, Math.ceil(bytes / KB64));
    this.eventbridge.deliveries += targets;
  }

  /** One finished transcoder output: its duration and displayed size (`frameCapture` for stills). */
  transcoderOutput(output: {
    backend: string;
    durationMs: number;
    width: number;
    height: number;
    frameCapture?: boolean;
  }): void {
    this.outputs.push({
      backend: output.backend,
      resolution: output.frameCapture ? 'frame-capture' : resolutionClass(output.width, output.height),
      durationMs: output.durationMs,
      width: output.width,
      height: output.height,
    });
  }

  /** A copy of every counter now. */
  snapshot(): UsageSnapshot {
    const copy = <T extends object>(map: Map<string, T>) =>
      Object.fromEntries([...map].map(([key, value]) => [key, { ...value }]));
    return {
      lambda: copy(this.lambda),
      dynamodb: copy(this.dynamodb),
      s3: copy(this.s3),
      sns: {
        publishes: this.sns.publishes,
        billedPublishes: this.sns.billedPublishes,
        deliveries: Object.fromEntries(this.sns.deliveries),
      },
      eventbridge: { ...this.eventbridge },
      transcoderOutputs: [...this.outputs],
    };
  }
}

/** Numeric fields subtract; the others (a function's memory, its architecture) are taken from `after`. */
function diffRecord<T extends object>(before: T | undefined, after: T): T {
  const result: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(after)) {
    const previous = (before as Record<string, unknown> | undefined)?.[key];
    result[key] =
      typeof value === 'number' && !(key === 'memoryMb')
        ? value - (typeof previous === 'number' ? previous : 0)
        : value;
  }
  return result as T;
}

function diffMap<T extends object>(
  before: Readonly<Record<string, T>>,
  after: Readonly<Record<string, T>>,
  isZero: (value: T) => boolean,
): Record<string, T> {
  const result: Record<string, T> = {};
  for (const [key, value] of Object.entries(after)) {
    const delta = diffRecord(before[key], value);
    if (!isZero(delta)) result[key] = delta;
  }
  return result;
}

const allZero = (value: object) =>
  Object.entries(value).every(([key, v]) => key === 'memoryMb' || typeof v !== 'number' || v === 0);

/** What happened between two snapshots of the same meter; entries that did not change are left out. */
export function diffUsage(before: UsageSnapshot, after: UsageSnapshot): UsageSnapshot {
  return {
    lambda: diffMap(before.lambda, after.lambda, allZero),
    dynamodb: diffMap(before.dynamodb, after.dynamodb, allZero),
    s3: diffMap(before.s3, after.s3, allZero),
    sns: {
      publishes: after.sns.publishes - before.sns.publishes,
      billedPublishes: after.sns.billedPublishes - before.sns.billedPublishes,
      deliveries: Object.fromEntries(
        Object.entries(after.sns.deliveries)
          .map(([protocol, n]) => [protocol, n - (before.sns.deliveries[protocol] ?? 0)] as const)
          .filter(([, n]) => n !== 0),
      ),
    },
    eventbridge: diffRecord(before.eventbridge, after.eventbridge),
    transcoderOutputs: after.transcoderOutputs.slice(before.transcoderOutputs.length),
  };
}
