import { randomUUID } from 'node:crypto';
import { matchesPattern } from './event-pattern.ts';
import type { Deliver } from './sns.ts';

/** A rule with its targets, as `aws_cloudwatch_event_rule` and `aws_cloudwatch_event_target` declare them. */
export interface EventRule {
  readonly name: string;
  readonly bus: string;
  readonly pattern: Record<string, unknown>;
  readonly targets: readonly { readonly arn: string; readonly input?: string; readonly inputPath?: string }[];
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

  constructor(
    private readonly deliver: Deliver,
    private readonly region: string,
    private readonly account: string,
  ) {}

  addRule(rule: EventRule): void {
    this.rules.push(rule);
  }

  /** Routes an event a service emitted already in its final shape (e.g. MediaConvert's job-state events). */
  putRawEvent(event: Record<string, unknown>, bus = 'default'): void {
    this.route(event, bus);
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
    this.route(event, entry.bus ?? 'default');
    return event;
  }

  private route(event: Record<string, unknown>, bus: string): void {
    for (const rule of this.rules) {
      if (rule.bus !== bus || !matchesPattern(rule.pattern, event)) continue;
      for (const target of rule.targets) {
        this.deliver(
          target.arn,
          target.input !== undefined ? JSON.parse(target.input) : pick(event, target.inputPath),
          `rule/${rule.name}`,
        );
      }
    }
  }
}

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
