/**
 * The web app's security headers, built from the origins it talks to. Pure (no cdktf), so CloudFront's
 * response-headers policy and the local static server send the very same policy.
 */

/** The origins, beyond the app's own, that the app's pages may reach. */
export interface WebContentSources {
  /**
   * Origins the app fetches from (`connect-src`): the API, the OpenID provider's discovery, JWKS and
   * token endpoints, and the upload bucket the browser POSTs files to.
   */
  readonly connect: readonly string[];
  /**
   * Origins of posters and video (`img-src`, `media-src`): the CDN of public renditions and the bucket
   * that presigned GETs of private ones point at.
   */
  readonly media: readonly string[];
  /** Origins forms may submit to (`form-action`): the sign-in pages. */
  readonly formAction: readonly string[];
}

/** A source a policy refuses: anything that could end a directive or smuggle in a keyword. */
export class InvalidContentSourceError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'InvalidContentSourceError';
  }
}

/** HSTS lifetime: two years, the value the preload list asks for. */
export const HSTS_MAX_AGE_SECONDS = 63_072_000;

/** Sent with every response: the full URL stays on the app's own origin, other origins see the origin only. */
export const REFERRER_POLICY = 'strict-origin-when-cross-origin';

/** `X-Frame-Options`, for browsers that predate `frame-ancestors`. */
export const FRAME_OPTIONS = 'DENY';

// A host source (https://host, wildcard subdomains allowed) or a Terraform/cdktf token standing for one;
// never a quote, a separator or whitespace, which could end the directive or add a keyword.
const SOURCE = /^(?:https?:\/\/|\$\{)[^\s;,'"]+$/;

function checked(list: readonly string[], directive: string): string[] {
  for (const source of list) {
    if (!SOURCE.test(source)) {
      throw new InvalidContentSourceError(
        `"${source}" is not a source for ${directive}: use an origin such as https://api.example.com.`,
      );
    }
  }
  return [...new Set(list)];
}

/**
 * The Content-Security-Policy: only the app's own scripts and styles (no `unsafe-inline`, no `eval`),
 * `data:` images (Vite inlines small images as data URIs), media and connections limited to `sources`,
 * no plugins, no framing, no `<base>` elsewhere.
 */
export function contentSecurityPolicy(sources: WebContentSources): string {
  const media = checked(sources.media, 'img-src/media-src');
  const directives: [string, ...string[]][] = [
    ['default-src', "'self'"],
    ['script-src', "'self'"],
    ['style-src', "'self'"],
    ['img-src', "'self'", 'data:', ...media],
    ['media-src', "'self'", ...media],
    ['connect-src', "'self'", ...checked(sources.connect, 'connect-src')],
    ['font-src', "'self'"],
    ['form-action', "'self'", ...checked(sources.formAction, 'form-action')],
    ['frame-ancestors', "'none'"],
    ['base-uri', "'self'"],
    ['object-src', "'none'"],
  ];
  return directives.map((d) => d.join(' ')).join('; ');
}

/** The `Strict-Transport-Security` value: {@link HSTS_MAX_AGE_SECONDS}, subdomains included. */
export function strictTransportSecurity(): string {
  return `max-age=${HSTS_MAX_AGE_SECONDS}; includeSubDomains`;
}

/**
 * Every security header of the app's responses, by header name. `https: false` (a local server on
 * plain HTTP) leaves out HSTS, which browsers ignore over HTTP anyway.
 */
export function securityHeaders(
  sources: WebContentSources,
  options: { readonly https: boolean },
): Record<string, string> {
  return {
    'Content-Security-Policy': contentSecurityPolicy(sources),
    ...(options.https ? { 'Strict-Transport-Security': strictTransportSecurity() } : {}),
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': FRAME_OPTIONS,
    'Referrer-Policy': REFERRER_POLICY,
  };
}
