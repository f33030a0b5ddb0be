import type { ComputedAttributes } from '#local/emulators/common';

/** `aws_cloudwatch_event_rule`'s computed attributes: a rule on a custom bus has the bus in its ARN. */
export const EVENTBRIDGE_ATTRIBUTES: ComputedAttributes = {
  aws_cloudwatch_event_rule: ({ name, own, region, account }) => {
    const rule = name('name');
    const bus = own('event_bus_name');
    const path = typeof bus === 'string' && bus !== 'default' ? `${bus}/${rule}` : rule;
    return { name: rule, id: rule, arn: `arn:aws:events:${region}:${account}:rule/${path}` };
  },
};
