import type { ComputedAttributes } from '#local/emulators/common';

/** Cognito's computed attributes: user pool ids are `<region>_` + 9 characters, app client ids 26 lower-case letters and digits. */
export const COGNITO_ATTRIBUTES: ComputedAttributes = {
  aws_cognito_user_pool: ({ digest, region, account }) => {
    const id = `${region}_${BigInt(`0x${digest}`).toString(36).slice(0, 9)}`;
    return {
      id,
      arn: `arn:aws:cognito-idp:${region}:${account}:userpool/${id}`,
      endpoint: `cognito-idp.${region}.amazonaws.com/${id}`,
    };
  },
  aws_cognito_user_pool_client: ({ digest }) => ({ id: BigInt(`0x${digest}`).toString(36).slice(0, 26) }),
};
