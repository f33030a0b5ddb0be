import { errors, type JWTPayload, type JWTVerifyGetKey, jwtVerify } from 'jose';

/** What API Gateway's JWT authorizer is configured with (`jwt_configuration` + identity source). */
export interface JwtAuthorizerConfig {
  /** Must equal the token's `iss`. */
  readonly issuer: string;
  /** The token's `aud`, or `client_id` when it has no `aud` (Cognito access tokens), must be one of these. */
  readonly audience: readonly string[];
  /** Public keys to verify signatures with (a local JWKS here, the issuer's `/.well-known/jwks.json` in AWS). */
  readonly keys: JWTVerifyGetKey;
  /** Header carrying the token (`$request.header.Authorization`). */
  readonly identityHeader?: string;
  /** Clock for `exp`/`nbf`/`iat` checks; defaults to the real one. */
  readonly now?: () => Date;
}

/** The authorizer's verdict. On success, the claims and scopes API Gateway passes to the integration. */
export type AuthorizerResult =
  | {
      readonly authorized: true;
      /** Claim values as API Gateway forwards them: strings (arrays as `[a b]`). */
      readonly claims: Record<string, string>;
      readonly scopes: string[] | null;
    }
  | { readonly authorized: false; readonly reason: string };

/**
 * Verifies a request's bearer token the way API Gateway's JWT authorizer does: RS256 signature by a
 * key of the JWKS (matched by `kid`), `iss` equal to the issuer, `aud` or `client_id` among the
 * audiences, `exp` in the future, `nbf` and `iat` not in the future. The `Bearer ` prefix is optional.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-jwt-authorizer.html
 */
export async function authorizeRequest(
  headers: Readonly<Record<string, string | undefined>>,
  config: JwtAuthorizerConfig,
): Promise<AuthorizerResult> {
  const header = (config.identityHeader ?? 'authorization').toLowerCase();
  const raw = headers[header]?.trim();
  if (!raw) return { authorized: false, reason: `no token in the ${header} header` };
  const token = raw.replace(/^Bearer\s+/i, '');
  const now = config.now?.() ?? new Date();
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(token, config.keys, {
      issuer: config.issuer,
      algorithms: ['RS256'],
      currentDate: now,
      requiredClaims: ['exp', 'iat', 'sub'],
    }));
  } catch (error) {
    return { authorized: false, reason: describeFailure(error) };
  }
  if ((payload.iat ?? 0) > Math.floor(now.getTime() / 1000) + 5) {
    return { authorized: false, reason: 'the token was issued in the future' };
  }
  const audiences = payload.aud === undefined ? [] : Array.isArray(payload.aud) ? payload.aud : [payload.aud];
  const clientId = typeof payload.client_id === 'string' ? payload.client_id : undefined;
  const presented = audiences.length > 0 ? audiences : clientId ? [clientId] : [];
  if (!presented.some((aud) => config.audience.includes(aud))) {
    return { authorized: false, reason: 'the token has an invalid audience or client id' };
  }
  const scope = typeof payload.scope === 'string' ? payload.scope.split(' ').filter(Boolean) : null;
  return { authorized: true, claims: forwardedClaims(payload), scopes: scope };
}

/** API Gateway forwards every claim as a string; arrays become `[a b]`. */
function forwardedClaims(payload: JWTPayload): Record<string, string> {
  return Object.fromEntries(
    Object.entries(payload).map(([name, value]) => [
      name,
      Array.isArray(value)
        ? `[${value.join(' ')}]`
        : typeof value === 'object'
          ? JSON.stringify(value)
          : String(value),
    ]),
  );
}

function describeFailure(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'the token has expired';
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'the token signature is invalid';
  if (error instanceof errors.JWKSNoMatchingKey) return 'no key in the JWKS matches the token';
  if (error instanceof errors.JWTClaimValidationFailed) return `the token's ${error.claim} claim is invalid`;
  if (error instanceof errors.JOSEAlgNotAllowed) return 'the token is not signed with RS256';
  if (error instanceof errors.JOSEError) return `the token is malformed (${error.code})`;
  return 'the token could not be verified';
}
