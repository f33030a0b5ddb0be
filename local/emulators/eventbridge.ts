import { randomUUID } from 'node:crypto';
import { matchesPattern } from './event-pattern.ts';
import type { UsageMeter } from '#local/usage';
import type { Deliver } from './sns.ts';

/** A rule with its targets, as `aws_cloudwatch_event_rule` and `aws_cloudwatch_event_target` declare them. */
export interface EventRule {
  readonly name: string;
  readonly bus: string;
  readonly pattern: Record<string, unknown>;
  readonly targets: readonly { readonly arn: string; readonly input?: string; readonly inputPath?: string }[];
}

/** A scheduled rule with its targets, as `aws_cloudwatch_event_rule` with `schedule_expression` declares it. */
export interface ScheduleRule {
  readonly name: string;
  /** `rate(5 minutes)`; the local cloud runs `rate` expressions only (a `cron` one runs when asked). */
  readonly expression: string;
  readonly targets: EventRule['targets'];
}

/** The period of a `rate(...)` schedule expression, or undefined for any other (`cron(...)`). */
export function ratePeriodMs(expression: string): number | undefined {
  const match = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/.exec(expression.trim());
  if (!match) return undefined;
  const unit = { minute: 60_000, hour: 3_600_000, day: 86_400_000 }[match[2]?.replace(/s$/, '') ?? ''] ?? 0;
  return Number(match[1]) * unit;
}

/** One event as a service puts it on a bus (the PutEvents entry shape). */
export interface PutEventEntry {
  readonly source: string;
  readonly detailType: string;
  readonly detail: Record<string, unknown>;
  readonly resources?: readonly string[];
  readonly bus?: string;
  readonly time?: Date;
}

/** In-process EventBridge: matches every event against the rules of its bus and delivers it to their targets. */
export class LocalEventBridge {
  private readonly rules: EventRule[] = [];
  private readonly schedules: ScheduleRule[] = [];
  private readonly timers: NodeJS.Timeout[] = [];

  constructor(
    private readonly deliver: Deliver,
    private readonly region: string,
    private readonly account: string,
    private readonly usage?: UsageMeter,
  ) {}

  addRule(rule: EventRule): void {
    this.rules.push(rule);
  }

  addSchedule(rule: ScheduleRule): void {
    this.schedules.push(rule);
  }

  /** Starts every `rate` schedule's timer (each run at the period's end, as EventBridge does). */
  startSchedules(): void {
    for (const rule of this.schedules) {
      const period = ratePeriodMs(rule.expression);
      if (period === undefined) continue;
      const timer = setInterval(() => this.runSchedule(rule.name), period);
      timer.unref();
      this.timers.push(timer);
    }
  }

  stopSchedules(): void {
    for (const timer of this.timers.splice(0)) clearInterval(timer);
  }

  /**
   * Fires scheduled rules now (one by name, or every one): each target gets EventBridge's "Scheduled
   * Event" with `time` (default now). Returns the events sent.
   */
  runSchedule(name?: string, time: Date = new Date()): Record<string, unknown>[] {
    const rules = this.schedules.filter((rule) => name === undefined || rule.name === name);
    if (name !== undefined && rules.length === 0) {
      throw new Error(
        `No scheduled rule named ${name}; the stack declares ${this.schedules.map((r) => r.name).join(', ') || 'none'}.`,
      );
    }
    return rules.map((rule) => {
      const event = {
        version: '0',
        id: randomUUID(),
        'detail-type': 'Scheduled Event',
        source: 'aws.events',
        account: this.account,
        time: time.toISOString().replace(/\.\d{3}Z$/, 'Z'),
        region: this.region,
        resources: [`arn:aws:events:${this.region}:${this.account}:rule/${rule.name}`],
        detail: {},
      };
      for (const target of rule.targets) {
        this.deliver(
          target.arn,
          target.input !== undefined ? JSON.parse(target.input) : event,
          `rule/${rule.name}`,
        );
      }
      this.usage?.eventBridgeEvent('service', 0, rule.targets.length);
      return event;
    });
  }

  /** Routes an event a service emitted already in its final shape (e.g. MediaConvert's job-state events). */
  putRawEvent(event: Record<string, unknown>, bus = 'default'): void {
    this.usage?.eventBridgeEvent(eventKind(event), JSON.stringify(event).length, this.route(event, bus));
  }

  /** Puts one event on its bus (default: `default`); returns the event as targets receive it. */
  putEvent(entry: PutEventEntry): Record<string, unknown> {
    const event = {
      version: '0',
      id: randomUUID(),
      'detail-type': entry.detailType,
      source: entry.source,
      account: this.account,
      time: (entry.time ?? new Date()).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      region: this.region,
      resources: [...(entry.resources ?? [])],
      detail: entry.detail,
    };
    this.usage?.eventBridgeEvent(
      eventKind(event),
      JSON.stringify(event).length,
      this.route(event, entry.bus ?? 'default'),
    );
    return event;
  }

  /** Delivers the event to every target of every matching rule; returns how many targets. */
  private route(event: Record<string, unknown>, bus: string): number {
    let targets = 0;
    for (const rule of this.rules) {
      if (rule.bus !== bus || !matchesPattern(rule.pattern, event)) continue;
      for (const target of rule.targets) {
        this.deliver(
          target.arn,
          target.input !== undefined ? JSON.parse(target.input) : pick(event, target.inputPath),
          `rule/${rule.name}`,
        );
        targets += 1;
      }
    }
    return targets;
  }
}

/** AWS services' own events (`aws.*` sources) are free; any other source is a custom event. */
const eventKind = (event: Record<string, unknown>) =>
  String(event.source).startsWith('aws.') ? ('service' as const) : ('custom' as const);

function pick(event: Record<string, unknown>, path: string | undefined): unknown {
  if (!path || path === '$') return event;
  return path
    .replace(/^\$\./, '')
    .split('.')
    .reduce<unknown>(
      (value, step) =>
        value && typeof value === 'object' ? (value as Record<string, unknown>)[step] : undefined,
      event,
    );
}
