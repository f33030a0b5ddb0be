export { type LocalEventBridge, type PutEventEntry, startEventBridge } from './bus.ts';
export { type EventBridgeResources, eventBridgeFromStack } from './from-stack.ts';
export { matchesPattern } from './pattern.ts';
export type { EventRule, RuleTarget, ScheduleRule } from './rules.ts';
export { ratePeriodMs } from './schedules.ts';
