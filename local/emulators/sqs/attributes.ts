import type { ComputedAttributes } from '#local/emulators/common';

/** `aws_sqs_queue`'s computed attributes. */
export const SQS_ATTRIBUTES: ComputedAttributes = {
  aws_sqs_queue: ({ name, region, account }) => {
    const queue = name('name');
    return {
      name: queue,
      arn: `arn:aws:sqs:${region}:${account}:${queue}`,
      id: `https://sqs.${region}.amazonaws.com/${account}/${queue}`,
      url: `https://sqs.${region}.amazonaws.com/${account}/${queue}`,
    };
  },
};
