import { createHash, randomUUID } from 'node:crypto';
import {
  type CryptoKey,
  createLocalJWKSet,
  exportJWK,
  generateKeyPair,
  importJWK,
  type JSONWebKeySet,
  type JWK,
  type JWTVerifyGetKey,
  SignJWT,
} from 'jose';

/** Namespace of the name-based (RFC 9562 version 5) UUIDs that serve as local users' `sub`. */
const LOCAL_USER_NAMESPACE = '6f1d3c2e-24a0-4b7e-9c1d-0a1b2c3d4e5f';

/** A user name as the local sign-in page accepts it: trimmed and lower-cased (the pool is case-insensitive). */
export function normalizeUsername(name: string): string {
  return name.trim().toLowerCase();
}

/**
 * The local user a name denotes: `sub` is a version-5 UUID of the normalized name, so the same name
 * is the same user across restarts and provider instances; the e-mail is `<name>@localhost`.
 */
export function localUser(name: string): { sub: string; username: string; email: string } {
  const username = normalizeUsername(name);
  const namespace = Buffer.from(LOCAL_USER_NAMESPACE.replace(/-/g, ''), 'hex');
  const hash = createHash('sha1').update(namespace).update(username, 'utf8').digest();
  hash[6] = ((hash[6] ?? 0) & 0x0f) | 0x50;
  hash[8] = ((hash[8] ?? 0) & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  const sub = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  return { sub, username, email: `${username}@localhost` };
}

/**
 * The user `npm start` prints a token for: the user named `dev`, so the printed token and signing in
 * as `dev` in the browser see the same videos, across restarts.
 */
export const DEV_USER = localUser('dev');

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
 * A stand-in for the Cognito user pool's signing side: an RS256 key pair made at start, a JWKS with
 * its public key, and tokens shaped like Cognito's. Tokens die with the process, as the key does.
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

/** An RS256 signing key as JWKs: the private one signs, the public one goes into the JWKS. */
export interface LocalSigningKey {
  readonly kid: string;
  readonly privateJwk: JWK;
  readonly publicJwk: JWK;
}

/** Makes a fresh RS256 key pair with a random `kid`. */
export async function createSigningKey(): Promise<LocalSigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const kid = randomUUID();
  const meta = { kid, alg: 'RS256', use: 'sig' };
  return {
    kid,
    privateJwk: { ...(await exportJWK(privateKey)), ...meta },
    publicJwk: { ...(await exportJWK(publicKey)), ...meta },
  };
}

/**
 * Creates the local identity provider: with `signingKey`, the key of the local OpenID provider (so
 * its tokens and these verify alike), else a fresh one.
 */
export async function createLocalIdentityProvider(
  options: { issuer?: string; audience?: string; signingKey?: LocalSigningKey } = {},
): Promise<LocalIdentityProvider> {
  const issuer = options.issuer ?? LOCAL_ISSUER;
  const audience = options.audience ?? LOCAL_CLIENT_ID;
  const { kid, privateJwk, publicJwk } = options.signingKey ?? (await createSigningKey());
  const privateKey = (await importJWK(privateJwk, 'RS256')) as CryptoKey;
  const jwks: JSONWebKeySet = { keys: [publicJwk] };
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
