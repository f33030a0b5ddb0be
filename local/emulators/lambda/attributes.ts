import type { ComputedAttributes } from '#local/emulators/common';

/** `aws_lambda_function`'s and `aws_lambda_layer_version`'s computed attributes. */
export const LAMBDA_ATTRIBUTES: ComputedAttributes = {
  aws_lambda_function: ({ name, region, account }) => {
    const fn = name('function_name');
    const arn = `arn:aws:lambda:${region}:${account}:function:${fn}`;
    return {
      function_name: fn,
      id: fn,
      arn,
      qualified_arn: `${arn}:$LATEST`,
      invoke_arn: `arn:aws:apigateway:${region}:lambda:path/2015-03-31/functions/${arn}/invocations`,
      version: '$LATEST',
    };
  },
  aws_lambda_layer_version: ({ name, region, account }) => {
    const arn = `arn:aws:lambda:${region}:${account}:layer:${name('layer_name')}:1`;
    return { arn, id: arn, layer_arn: arn.replace(/:1$/, ''), version: '1' };
  },
};
