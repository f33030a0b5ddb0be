import type { ComputedAttributes } from '#local/emulators/common';

/** `aws_dynamodb_table`'s computed attributes. */
export const DYNAMODB_ATTRIBUTES: ComputedAttributes = {
  aws_dynamodb_table: ({ name, region, account }) => {
    const table = name('name');
    return { name: table, id: table, arn: `arn:aws:dynamodb:${region}:${account}:table/${table}` };
  },
};
