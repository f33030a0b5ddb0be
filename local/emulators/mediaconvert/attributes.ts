import type { ComputedAttributes } from '#local/emulators/common';

/** `aws_media_convert_queue`'s computed attributes. */
export const MEDIACONVERT_ATTRIBUTES: ComputedAttributes = {
  aws_media_convert_queue: ({ name, region, account }) => {
    const queue = name('name');
    return { name: queue, id: queue, arn: `arn:aws:mediaconvert:${region}:${account}:queues/${queue}` };
  },
};
