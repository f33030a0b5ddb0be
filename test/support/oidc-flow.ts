import { createHash, randomBytes } from 'node:crypto';

/** A minimal cookie jar: name → value, sent to every path of the one provider origin. */
export class CookieJar {
  private readonly cookies = new Map<string, string>();

  store(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const index = pair.indexOf('=');
      const name = pair.slice(0, index).trim();
      const value = pair.slice(index + 1).trim();
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  header(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }
}

/** A PKCE verifier and its S256 challenge. */
export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/** One request without following redirects, cookies from and into `jar`. */
export async function send(jar: CookieJar, url: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  const cookie = jar.header();
  if (cookie) headers.set('cookie', cookie);
  const response = await fetch(url, { ...init, headers, redirect: 'manual' });
  jar.store(response);
  return response;
}

/** Follows redirects by hand (GET) from `url` until one leaves `origin` or a page answers. */
export async function follow(
  jar: CookieJar,
  url: string,
  origin: string,
): Promise<{ response: Response; url: string }> {
  let current = url;
  for (let hops = 0; hops < 10; hops += 1) {
    const response = await send(jar, current);
    const location = response.headers.get('location');
    if (response.status < 300 || response.status >= 400 || !location) return { response, url: current };
    const next = new URL(location, current).href;
    if (new URL(next).origin !== origin) return { response, url: next };
    current = next;
  }
  throw new Error(`more than 10 redirects from ${url}`);
}

/** What {@link signIn} returns: the code and state the provider sent to the redirect URI. */
export interface SignInResult {
  readonly code: string;
  readonly state: string | null;
  readonly callback: URL;
  readonly verifier: string;
}

/**
 * Drives the authorization-code flow as a browser would, with plain `fetch`: the authorize request
 * with PKCE S256, the sign-in page's form POST with `username`, and the redirects to the app's callback.
 */
export async function signIn(input: {
  issuer: string;
  authorizationEndpoint: string;
  clientId: string;
  redirectUri: string;
  username: string;
  jar?: CookieJar;
  scope?: string;
}): Promise<SignInResult> {
  const jar = input.jar ?? new CookieJar();
  const { verifier, challenge } = pkcePair();
  const state = randomBytes(8).toString('hex');
  const authorize = new URL(input.authorizationEndpoint);
  authorize.search = new URLSearchParams({
    client_id: input.clientId,
    redirect_uri: input.redirectUri,
    response_type: 'code',
    scope: input.scope ?? 'openid email profile',
    state,
    code_challenge: challenge,
    code_challenge_method: 'S256',
  }).toString();
  const page = await follow(jar, authorize.href, input.issuer);
  const html = await page.response.text();
  const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1];
  if (page.response.status !== 200 || !action) {
    throw new Error(`no sign-in form at ${page.url} (${page.response.status}): ${html.slice(0, 300)}`);
  }
  const posted = await send(jar, new URL(action, page.url).href, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ username: input.username }).toString(),
  });
  const location = posted.headers.get('location');
  if (posted.status !== 303 || !location) throw new Error(`sign-in answered ${posted.status}`);
  const done = await follow(
    jar,
    new URL(location, action.startsWith('http') ? action : input.issuer).href,
    input.issuer,
  );
  const callback = new URL(done.url);
  const code = callback.searchParams.get('code');
  if (!code) throw new Error(`no code in ${done.url}`);
  return { code, state: callback.searchParams.get('state'), callback, verifier };
}

/** POSTs a form to the token endpoint and returns the status and JSON body. */
export async function tokenRequest(
  tokenEndpoint: string,
  form: Record<string, string>,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(tokenEndpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(form).toString(),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}
