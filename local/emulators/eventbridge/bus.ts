import { randomUUID } from 'node:crypto';
import type { Deliver, Emulator } from '#local/emulators/common';
import type { UsageMeter } from '#local/usage';
import { matchesPattern } from './pattern.ts';
import type { EventRule, ScheduleRule } from './rules.ts';
import { Schedules, scheduledEvent } from './schedules.ts';

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
export class LocalEventBridge implements Emulator {
  private readonly rules: EventRule[] = [];
  private readonly schedules = new Schedules();

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
    this.schedules.add(rule);
  }

  /** Starts every `rate` schedule's timer (each run at the period's end, as EventBridge does). */
  startSchedules(): void {
    this.schedules.start((name) => this.runSchedule(name));
  }

  stopSchedules(): void {
    this.schedules.stop();
  }

  /**
   * Fires scheduled rules now (one by name, or every one): each target gets EventBridge's "Scheduled
   * Event" with `time` (default now). Returns the events sent.
   */
  runSchedule(name?: string, time: Date = new Date()): Record<string, unknown>[] {
    return this.schedules.select(name).map((rule) => {
      const event = scheduledEvent(rule, { region: this.region, account: this.account, time });
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

  /** Delivery hands each event over at once: nothing waits here. */
  async whenIdle(): Promise<void> {}

  async stop(): Promise<void> {
    this.stopSchedules();
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

/** Starts the in-process EventBridge with the stack's rules and schedules; `runSchedules` starts their timers. */
export function startEventBridge(options: {
  deliver: Deliver;
  region: string;
  account: string;
  rules?: readonly EventRule[];
  schedules?: readonly ScheduleRule[];
  runSchedules?: boolean;
  /** Counts every event put, by kind, and its deliveries. */
  usage?: UsageMeter;
}): LocalEventBridge {
  const bridge = new LocalEventBridge(options.deliver, options.region, options.account, options.usage);
  for (const rule of options.rules ?? []) bridge.addRule(rule);
  for (const schedule of options.schedules ?? []) bridge.addSchedule(schedule);
  if (options.runSchedules) bridge.startSchedules();
  return bridge;
}
