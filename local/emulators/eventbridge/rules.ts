/** Where a rule sends a matching event, as `aws_cloudwatch_event_target` declares it. */
export interface RuleTarget {
  readonly arn: string;
  readonly input?: string;
  readonly inputPath?: string;
}

/** A rule with its targets, as `aws_cloudwatch_event_rule` and `aws_cloudwatch_event_target` declare them. */
export interface EventRule {
  readonly name: string;
  readonly bus: string;
  readonly pattern: Record<string, unknown>;
  readonly targets: readonly RuleTarget[];
}

/** A scheduled rule with its targets, as `aws_cloudwatch_event_rule` with `schedule_expression` declares it. */
export interface ScheduleRule {
  readonly name: string;
  /** `rate(5 minutes)`; the local cloud runs `rate` expressions only (a `cron` one runs when asked). */
  readonly expression: string;
  readonly targets: readonly RuleTarget[];
}
