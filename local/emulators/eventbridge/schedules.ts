import { randomUUID } from 'node:crypto';
import type { ScheduleRule } from './rules.ts';

/** The period of a `rate(...)` schedule expression, or undefined for any other (`cron(...)`). */
export function ratePeriodMs(expression: string): number | undefined {
  const match = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/.exec(expression.trim());
  if (!match) return undefined;
  const unit = { minute: 60_000, hour: 3_600_000, day: 86_400_000 }[match[2]?.replace(/s$/, '') ?? ''] ?? 0;
  return Number(match[1]) * unit;
}

/** EventBridge's "Scheduled Event" of a rule, at `time`. */
export function scheduledEvent(
  rule: ScheduleRule,
  context: { region: string; account: string; time: Date },
): Record<string, unknown> {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: context.account,
    time: context.time.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region: context.region,
    resources: [`arn:aws:events:${context.region}:${context.account}:rule/${rule.name}`],
    detail: {},
  };
}

/** The scheduled rules of a bus and the timers that fire them. */
export class Schedules {
  private readonly rules: ScheduleRule[] = [];
  private readonly timers: NodeJS.Timeout[] = [];

  add(rule: ScheduleRule): void {
    this.rules.push(rule);
  }

  /** Starts every `rate` schedule's timer (each run at the period's end, as EventBridge does). */
  start(run: (name: string) => void): void {
    for (const rule of this.rules) {
      const period = ratePeriodMs(rule.expression);
      if (period === undefined) continue;
      const timer = setInterval(() => run(rule.name), period);
      timer.unref();
      this.timers.push(timer);
    }
  }

  stop(): void {
    for (const timer of this.timers.splice(0)) clearInterval(timer);
  }

  /** The rule named `name`, or every one; throws for a name the stack does not declare. */
  select(name?: string): ScheduleRule[] {
    const rules = this.rules.filter((rule) => name === undefined || rule.name === name);
    if (name !== undefined && rules.length === 0) {
      throw new Error(
        `No scheduled rule named ${name}; the stack declares ${this.rules.map((r) => r.name).join(', ') || 'none'}.`,
      );
    }
    return rules;
  }
}
