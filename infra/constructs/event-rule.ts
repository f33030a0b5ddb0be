import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule';
import { CloudwatchEventTarget } from '@cdktf/provider-aws/lib/cloudwatch-event-target';
import type { Construct } from 'constructs';
import type { BundledFunction } from './bundled-function.ts';

/** An EventBridge event pattern, as an object (the rule stores it as JSON). */
export type EventPattern = Readonly<Record<string, unknown>>;

/** Props of {@link FunctionEventRule}: an event pattern, or a schedule. */
export type FunctionEventRuleProps = {
  /** Physical rule name; prefix it with the stack's name prefix. */
  readonly name: string;
  readonly description: string;
} & (
  | { readonly pattern: EventPattern; readonly schedule?: never }
  /** `rate(5 minutes)` or `cron(...)`: https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-scheduled-rule-pattern.html */
  | { readonly schedule: string; readonly pattern?: never }
);

/** Options of {@link FunctionEventRule.deliverTo}. */
export interface DeliverToOptions {
  /** Construct id of the target, created beside the rule. */
  readonly id: string;
  /** Statement id suffix of the function's invoke permission (`invoke-<permissionId>`). */
  readonly permissionId: string;
}

/**
 * A rule on the default event bus whose matching events, or whose schedule, invoke pipeline functions.
 * Every target gets an invoke permission scoped to this rule and this account (CKV_AWS_364); the
 * function's own async settings (bounded retries, maximum age, dead-letter queue) then apply to each
 * invocation.
 */
export class FunctionEventRule extends CloudwatchEventRule {
  readonly pattern: EventPattern | undefined;
  readonly schedule: string | undefined;

  constructor(scope: Construct, id: string, props: FunctionEventRuleProps) {
    super(scope, id, {
      name: props.name,
      description: props.description,
      ...(props.pattern !== undefined
        ? { eventPattern: JSON.stringify(props.pattern) }
        : { scheduleExpression: props.schedule }),
    });
    this.pattern = props.pattern;
    this.schedule = props.schedule;
  }

  /** Invokes `fn` with every matching event. Returns the target. */
  deliverTo(fn: BundledFunction, options: DeliverToOptions): CloudwatchEventTarget {
    const permission = fn.allowInvoke(options.permissionId, 'events.amazonaws.com', this.arn);
    // Beside the rule rather than under it, so its Terraform address does not depend on this helper.
    const scope = this.node.scope as Construct;
    return new CloudwatchEventTarget(scope, options.id, {
      rule: this.name,
      targetId: fn.name,
      arn: fn.arn,
      // EventBridge's own defaults, stated so a review sees them: how long it keeps retrying to hand an
      // event to Lambda. Once handed over, the function's async invoke config takes over.
      retryPolicy: { maximumRetryAttempts: 185, maximumEventAgeInSeconds: 24 * 3600 },
      dependsOn: [permission],
    });
  }
}
