import { EventEmitter } from 'node:events';
import type { Deliver, Emulator } from './emulator.ts';

/** What an S3 fault applies to: object requests (no subresource such as `?tagging`) matching every field given. */
export interface S3FaultMatch {
  readonly bucket?: string;
  readonly keyPrefix?: string;
  readonly keySuffix?: string;
  /** `GET`, `PUT`, `HEAD`, `DELETE` or `POST` (a browser upload). */
  readonly method?: string;
}

/** How many times a fault fires, and from when. */
export interface FaultBudget {
  /** Fires on this many matching requests (or jobs, invocations, deliveries), then is spent; default 1. */
  readonly count?: number;
  /** Lets this many matching ones through first. */
  readonly skip?: number;
}

/**
 * A fault the local cloud injects on purpose, for tests: nothing is injected unless asked for, per
 * cloud, with `LocalCloudOptions.faults` or `cloud.faults.inject()`.
 */
export type Fault =
  /** S3 answers `503 SlowDown`, as under a request-rate spike; for `forMs` after injection, or `count` requests. */
  | ({ readonly service: 's3'; readonly kind: 'slow-down'; readonly forMs?: number } & S3FaultMatch &
      FaultBudget)
  /** S3 holds each matching request `ms` before serving it. */
  | ({ readonly service: 's3'; readonly kind: 'stall'; readonly ms: number } & S3FaultMatch & FaultBudget)
  /** DynamoDB resets every connection for `ms` after injection, as when it cannot be reached. */
  | { readonly service: 'dynamodb'; readonly kind: 'unreachable'; readonly ms: number }
  /**
   * The transcoder's engine dies in the middle of a job (ffmpeg killed after the first output), or a
   * job completes without its completion event ever being sent.
   */
  | ({ readonly service: 'transcoder'; readonly kind: 'die-mid-job' | 'lose-completion' } & FaultBudget)
  /** The transcoder hangs on a CreateJob for `ms`, then drops it unanswered and unprocessed. */
  | ({
      readonly service: 'transcoder';
      readonly kind: 'stall';
      readonly operation: 'CreateJob';
      readonly ms: number;
    } & FaultBudget)
  /** A function fails an invocation before its handler runs, as if it threw at once. */
  | ({ readonly service: 'lambda'; readonly function: string; readonly kind: 'throw' } & FaultBudget)
  /** A function's invocation times out (`Sandbox.Timedout`) or its process is killed, `afterMs` into it. */
  | ({
      readonly service: 'lambda';
      readonly function: string;
      readonly kind: 'timeout' | 'kill';
      readonly afterMs: number;
    } & FaultBudget)
  /** An event to a target (a function name, or any) is delivered twice. */
  | ({ readonly service: 'events'; readonly kind: 'duplicate'; readonly target?: string } & FaultBudget)
  /** An event to a target is delivered `ms` late, so later events overtake it. */
  | ({
      readonly service: 'events';
      readonly kind: 'delay';
      readonly ms: number;
      readonly target?: string;
    } & FaultBudget);

/** The faults of one service. */
export type FaultOf<S extends Fault['service']> = Extract<Fault, { readonly service: S }>;

/** One fault that fired: what it was and on what. */
export interface FiredFault {
  readonly fault: Fault;
  readonly on: string;
  readonly at: Date;
}

/** An injected fault: how often it fired so far, and a way to take it back. */
export interface InjectedFault {
  readonly fault: Fault;
  readonly fired: number;
  clear(): void;
}

interface Entry {
  readonly fault: Fault;
  readonly injectedAt: number;
  seen: number;
  fired: number;
  cleared: boolean;
}

/**
 * The local cloud's fault registry: each service asks it, at its one hook, whether a fault applies to
 * what it is about to do. Faults with a time window (`ms`, `forMs`) apply to everything matching during
 * it; the others fire `count` times after `skip` matches. Emits `fired` ({@link FiredFault}).
 */
export class FaultRegistry extends EventEmitter {
  private readonly entries: Entry[] = [];
  readonly history: FiredFault[] = [];

  constructor(
    initial: readonly Fault[] = [],
    private readonly clock: () => number = Date.now,
  ) {
    super();
    for (const fault of initial) this.inject(fault);
  }

  inject(fault: Fault): InjectedFault {
    const entry: Entry = { fault, injectedAt: this.clock(), seen: 0, fired: 0, cleared: false };
    this.entries.push(entry);
    return {
      fault,
      get fired() {
        return entry.fired;
      },
      clear: () => {
        entry.cleared = true;
      },
    };
  }

  /** Takes back every fault injected so far. */
  clear(): void {
    for (const entry of this.entries.splice(0)) entry.cleared = true;
  }

  /**
   * The first live fault of `service` for which `matches` holds, counted as fired on `on`; undefined
   * when none applies (the normal case).
   */
  take<S extends Fault['service']>(
    service: S,
    on: string,
    matches: (fault: FaultOf<S>) => boolean = () => true,
  ): FaultOf<S> | undefined {
    const now = this.clock();
    for (const entry of this.entries) {
      const fault = entry.fault;
      if (entry.cleared || fault.service !== service || !matches(fault as FaultOf<S>)) continue;
      const window = windowOf(fault);
      if (window !== undefined) {
        if (now - entry.injectedAt > window) continue;
      } else {
        const budget = fault as FaultBudget;
        entry.seen += 1;
        if (entry.seen <= (budget.skip ?? 0)) continue;
        if (entry.fired >= (budget.count ?? 1)) continue;
      }
      entry.fired += 1;
      const fired = { fault, on, at: new Date(now) };
      this.history.push(fired);
      this.emit('fired', fired);
      return fault as FaultOf<S>;
    }
    return undefined;
  }
}

function windowOf(fault: Fault): number | undefined {
  if (fault.service === 'dynamodb') return fault.ms;
  if (fault.service === 's3' && fault.kind === 'slow-down' && fault.forMs !== undefined) return fault.forMs;
  return undefined;
}

/** True when an S3 object request matches a fault's bucket, key and method. */
export function s3FaultMatches(
  fault: S3FaultMatch,
  request: { bucket: string | undefined; key: string | undefined; method: string },
): boolean {
  return (
    (fault.bucket === undefined || fault.bucket === request.bucket) &&
    (fault.keyPrefix === undefined || (request.key ?? '').startsWith(fault.keyPrefix)) &&
    (fault.keySuffix === undefined || (request.key ?? '').endsWith(fault.keySuffix)) &&
    (fault.method === undefined || fault.method.toUpperCase() === request.method)
  );
}

/** The transcoder emulators' fault hooks. */
export interface TranscoderFaults {
  /** What happens to the job now starting, if anything. */
  job(jobId: string): 'die-mid-job' | 'lose-completion' | undefined;
  /** How long to hold a request to `operation` before dropping it unprocessed, if at all. */
  stall(operation: 'CreateJob'): number | undefined;
}

/** The transcoder hooks over a registry. */
export function transcoderFaults(registry: FaultRegistry): TranscoderFaults {
  return {
    job: (jobId) => {
      const fault = registry.take('transcoder', `job ${jobId}`, (f) => f.kind !== 'stall');
      return fault?.kind === 'die-mid-job' || fault?.kind === 'lose-completion' ? fault.kind : undefined;
    },
    stall: (operation) => {
      const fault = registry.take(
        'transcoder',
        operation,
        (f) => f.kind === 'stall' && f.operation === operation,
      );
      return fault?.kind === 'stall' ? fault.ms : undefined;
    },
  };
}

/** A delivery path with the injected `events` faults applied; idle once no late delivery is pending. */
export interface FaultyDelivery extends Emulator {
  readonly deliver: Deliver;
}

/**
 * Wraps `deliver` so that an injected `events` fault for a target delivers its event twice, or late
 * (overtaken by later ones), as at-least-once, unordered delivery may.
 */
export function faultyDelivery(registry: FaultRegistry, deliver: Deliver): FaultyDelivery {
  const delayed = new Set<Promise<void>>();
  return {
    deliver: (arn, event, origin) => {
      const name = arn.slice(arn.lastIndexOf(':') + 1);
      const fault = registry.take(
        'events',
        `${origin} → ${arn}`,
        (f) => f.target === undefined || name === f.target || name.endsWith(`-${f.target}`),
      );
      if (fault?.kind === 'delay') {
        const late = new Promise<void>((resolve) => setTimeout(resolve, fault.ms)).then(() =>
          deliver(arn, event, origin),
        );
        delayed.add(late);
        void late.finally(() => delayed.delete(late));
        return;
      }
      deliver(arn, event, origin);
      if (fault?.kind === 'duplicate') deliver(arn, structuredClone(event), origin);
    },
    whenIdle: async () => {
      while (delayed.size > 0) await Promise.all([...delayed]);
    },
    stop: async () => undefined,
  };
}
