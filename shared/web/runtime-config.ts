/**
 * `GET /config.json`: what the one web build needs to know about the environment it runs in. Infra
 * writes it from Terraform values; the local cloud serves its own.
 */
export interface WebRuntimeConfig {
  /** Base URL of the HTTP API, no trailing slash. */
  readonly apiUrl: string;
  readonly auth: {
    /** The OpenID issuer; the app reads `<authority>/.well-known/openid-configuration`. */
    readonly authority: string;
    readonly clientId: string;
    /** `<origin>/callback`. */
    readonly redirectUri: string;
    /** `<origin>/`. */
    readonly postLogoutRedirectUri: string;
    /** Space-separated OAuth scopes. */
    readonly scope: string;
    /** Where sign-out ends the provider's session, when its discovery document names none (Cognito). */
    readonly endSessionEndpoint?: string;
  };
}

/** The path the web app fetches its runtime config from, beside `index.html`. */
export const RUNTIME_CONFIG_PATH = '/config.json';
