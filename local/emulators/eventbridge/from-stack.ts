import type { SynthesizedStack } from '#local/synthesized-stack';
import type { EventRule, ScheduleRule } from './rules.ts';

/** The rules of the stack with their targets, as `startEventBridge` takes them. */
export interface EventBridgeResources {
  readonly rules: readonly EventRule[];
  readonly schedules: readonly ScheduleRule[];
}

/**
 * Every `aws_cloudwatch_event_rule` of the stack with the `aws_cloudwatch_event_target`s that name it:
 * a rule with `schedule_expression` is a schedule, one with `event_pattern` a rule of its bus.
 */
export function eventBridgeFromStack(stack: SynthesizedStack): EventBridgeResources {
  const rules: EventRule[] = [];
  const schedules: ScheduleRule[] = [];
  const targets = stack.resources('aws_cloudwatch_event_target').map((t) => stack.resolve(t.config));
  for (const rule of stack.resources('aws_cloudwatch_event_rule')) {
    const config = stack.resolve(rule.config);
    const name = stack.attribute(rule.address, 'name') as string;
    const ruleTargets = targets
      .filter((t) => t.rule === name)
      .map((t) => ({
        arn: String(t.arn),
        ...(typeof t.input === 'string' && { input: t.input }),
        ...(typeof t.input_path === 'string' && { inputPath: t.input_path }),
      }));
    if (typeof config.schedule_expression === 'string') {
      schedules.push({ name, expression: config.schedule_expression, targets: ruleTargets });
      continue;
    }
    if (typeof config.event_pattern !== 'string') continue;
    rules.push({
      name,
      bus: typeof config.event_bus_name === 'string' ? config.event_bus_name : 'default',
      pattern: JSON.parse(config.event_pattern) as Record<string, unknown>,
      targets: ruleTargets,
    });
  }
  return { rules, schedules };
}
