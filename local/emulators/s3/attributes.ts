import type { ComputedAttributes } from '#local/emulators/common';

/** `aws_s3_bucket`'s computed attributes. */
export const S3_ATTRIBUTES: ComputedAttributes = {
  aws_s3_bucket: ({ name, region }) => {
    const bucket = name('bucket');
    return {
      bucket,
      id: bucket,
      arn: `arn:aws:s3:::${bucket}`,
      bucket_domain_name: `${bucket}.s3.amazonaws.com`,
      bucket_regional_domain_name: `${bucket}.s3.${region}.amazonaws.com`,
    };
  },
};
