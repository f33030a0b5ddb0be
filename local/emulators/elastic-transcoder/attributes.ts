import type { ComputedAttributes } from '#local/emulators/common';

/** `aws_elastictranscoder_pipeline`'s computed attributes: the service assigns its id (13 digits, a dash, 6 characters). */
export const ELASTIC_TRANSCODER_ATTRIBUTES: ComputedAttributes = {
  aws_elastictranscoder_pipeline: ({ digest, region, account }) => {
    const digits = `${BigInt(`0x${digest.slice(0, 12)}`) % 10n ** 13n}`.padStart(13, '1');
    const id = `${digits}-${digest.slice(12, 18)}`;
    return { id, arn: `arn:aws:elastictranscoder:${region}:${account}:pipeline/${id}` };
  },
};
