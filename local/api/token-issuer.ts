import { randomUUID } from 'node:crypto';
import {
  type CryptoKey,
  createLocalJWKSet,
  exportJWK,
  generateKeyPair,
  type JSONWebKeySet,
  type JWTVerifyGetKey,
  SignJWT,
} from 'jose';

/** The user `npm start` signs in: a fixed `sub`, so uploads land under the same prefix across restarts. */
export const DEV_USER = {
  sub: '0d5e1f00-0000-4000-8000-000000000001',
  username: 'dev',
  email: 'dev@localhost',
} as const;

/** A user the local issuer signs tokens for. */
export interface LocalUser {
  readonly sub: string;
  readonly username?: string;
  readonly email?: string;
}

/** Options of one token. */
export interface TokenOptions {
  /** Lifetime from `now`; negative issues an already expired token (for tests). Default one hour. */
  readonly expiresInSeconds?: number;
  /** `access` (as the SPA sends: `client_id`, `scope`) or `id` (`aud`, `email`). Default `access`. */
  readonly tokenUse?: 'access' | 'id';
  readonly now?: Date;
  readonly issuer?: string;
  readonly audience?: string;
}

/**
 * A stand-in for the Cognito user pool: an RS256 key pair made at start, a JWKS with its public
 * key, and tokens shaped like Cognito's. Tokens die with the process, as the key does.
 */
export interface LocalIdentityProvider {
  /** Issuer URL: the `iss` claim and what the authorizer expects. */
  readonly issuer: string;
  /** App client id: the `client_id`/`aud` claim and the authorizer's audience. */
  readonly audience: string;
  /** The public keys, as Cognito serves them at `<issuer>/.well-known/jwks.json`. */
  readonly jwks: JSONWebKeySet;
  /** Key resolver for `jwtVerify` over {@link LocalIdentityProvider.jwks}. */
  readonly keys: JWTVerifyGetKey;
  /** Signs a token for `user` (the development user by default). */
  issueToken(user?: LocalUser, options?: TokenOptions): Promise<string>;
}

/** Default local issuer: looks like a Cognito issuer but can never be confused with a real pool. */
export const LOCAL_ISSUER = 'http://127.0.0.1/local-cognito/us-east-1_local';
/** Default local app client id. */
export const LOCAL_CLIENT_ID = 'local-web-client';

/** Creates the local identity provider with a fresh signing key. */
export async function createLocalIdentityProvider(
  options: { issuer?: string; audience?: string } = {},
): Promise<LocalIdentityProvider> {
  const issuer = options.issuer ?? LOCAL_ISSUER;
  const audience = options.audience ?? LOCAL_CLIENT_ID;
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const kid = randomUUID();
  const jwk = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
  const jwks: JSONWebKeySet = { keys: [jwk] };
  return {
    issuer,
    audience,
    jwks,
    keys: createLocalJWKSet(jwks),
    issueToken: (user = DEV_USER, tokenOptions = {}) =>
      signToken(privateKey, kid, user, { issuer, audience, ...tokenOptions }),
  };
}

async function signToken(
  key: CryptoKey,
  kid: string,
  user: LocalUser,
  options: TokenOptions & { issuer: string; audience: string },
): Promise<string> {
  const now = Math.floor((options.now ?? new Date()).getTime() / 1000);
  const expiresIn = options.expiresInSeconds ?? 3600;
  const expiresAt = now + expiresIn;
  // An expired token was issued an hour before it expired, as a real one would have been.
  const issuedAt = expiresIn > 0 ? now : expiresAt - 3600;
  const tokenUse = options.tokenUse ?? 'access';
  const claims =
    tokenUse === 'access'
      ? { client_id: options.audience, scope: 'openid email profile', username: user.username ?? user.sub }
      : { 'cognito:username': user.username ?? user.sub, ...(user.email ? { email: user.email } : {}) };
  const jwt = new SignJWT({ ...claims, token_use: tokenUse, auth_time: issuedAt })
    .setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT' })
    .setIssuer(options.issuer)
    .setSubject(user.sub)
    .setIssuedAt(issuedAt)
    .setExpirationTime(expiresAt)
    .setJti(randomUUID());
  if (tokenUse === 'id') jwt.setAudience(options.audience);
  return jwt.sign(key);
}
