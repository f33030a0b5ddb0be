import { COGNITO_ATTRIBUTES } from '#local/emulators/cognito/attributes.ts';
import type { ComputedAttributes } from '#local/emulators/common';
import { DYNAMODB_ATTRIBUTES } from '#local/emulators/dynamodb/attributes.ts';
import { ELASTIC_TRANSCODER_ATTRIBUTES } from '#local/emulators/elastic-transcoder/attributes.ts';
import { EVENTBRIDGE_ATTRIBUTES } from '#local/emulators/eventbridge/attributes.ts';
import { LAMBDA_ATTRIBUTES } from '#local/emulators/lambda/attributes.ts';
import { MEDIACONVERT_ATTRIBUTES } from '#local/emulators/mediaconvert/attributes.ts';
import { S3_ATTRIBUTES } from '#local/emulators/s3/attributes.ts';
import { SNS_ATTRIBUTES } from '#local/emulators/sns/attributes.ts';
import { SQS_ATTRIBUTES } from '#local/emulators/sqs/attributes.ts';

/** Resources the local cloud names but does not emulate: IAM, log groups, and the data sources. */
const NAMED_ONLY: ComputedAttributes = {
  aws_iam_role: ({ name, account }) => {
    const role = name('name');
    return { name: role, id: role, arn: `arn:aws:iam::${account}:role/${role}` };
  },
  aws_iam_policy: ({ name, account }) => {
    const policy = name('name');
    return { name: policy, id: policy, arn: `arn:aws:iam::${account}:policy/${policy}` };
  },
  aws_cloudwatch_log_group: ({ name, region, account }) => {
    const group = name('name');
    return { name: group, id: group, arn: `arn:aws:logs:${region}:${account}:log-group:${group}` };
  },
  aws_region: ({ region }) => ({ name: region, id: region, region }),
  aws_caller_identity: ({ account }) => ({ account_id: account, id: account }),
  aws_partition: () => ({ partition: 'aws', id: 'aws', dns_suffix: 'amazonaws.com' }),
};

/** Every resource type whose attributes the local cloud computes, each from its service's folder. */
export const COMPUTED_ATTRIBUTES: ComputedAttributes = {
  ...S3_ATTRIBUTES,
  ...DYNAMODB_ATTRIBUTES,
  ...LAMBDA_ATTRIBUTES,
  ...SNS_ATTRIBUTES,
  ...SQS_ATTRIBUTES,
  ...EVENTBRIDGE_ATTRIBUTES,
  ...ELASTIC_TRANSCODER_ATTRIBUTES,
  ...MEDIACONVERT_ATTRIBUTES,
  ...COGNITO_ATTRIBUTES,
  ...NAMED_ONLY,
};
