import type { ComputedAttributes } from '#local/emulators/common';

/** `aws_sns_topic`'s computed attributes. */
export const SNS_ATTRIBUTES: ComputedAttributes = {
  aws_sns_topic: ({ name, region, account }) => {
    const arn = `arn:aws:sns:${region}:${account}:${name('name')}`;
    return { name: name('name'), arn, id: arn };
  },
};
