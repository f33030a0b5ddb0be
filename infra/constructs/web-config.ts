import { S3Object } from '@cdktf/provider-aws/lib/s3-object';
import { Construct } from 'constructs';
import { NO_CACHE, RUNTIME_CONFIG_PATH, type WebRuntimeConfig } from '#shared/web';
import { WEB_CALLBACK_PATH } from '../config.ts';
import { WEB_SCOPES } from './auth.ts';
import type { SecureBucket } from './media-storage.ts';

/** What the deployed app's `config.json` is made of. */
export interface WebConfigFileProps {
  readonly bucket: SecureBucket;
  /** The app's origin: the redirect and logout URLs are under it. */
  readonly origin: string;
  /** Base URL of the HTTP API, no trailing slash. */
  readonly apiUrl: string;
  /** The user pool's issuer, the app client id and the hosted UI's base URL. */
  readonly auth: { readonly issuer: string; readonly clientId: string; readonly hostedUiUrl: string };
}

/** The runtime config of a deployed app, from Terraform values. */
export function deployedRuntimeConfig(props: Omit<WebConfigFileProps, 'bucket'>): WebRuntimeConfig {
  return {
    apiUrl: props.apiUrl,
    auth: {
      authority: props.auth.issuer,
      clientId: props.auth.clientId,
      redirectUri: `${props.origin}${WEB_CALLBACK_PATH}`,
      postLogoutRedirectUri: `${props.origin}/`,
      scope: WEB_SCOPES.join(' '),
      // Cognito's discovery document has no end_session_endpoint; its /logout takes client_id and logout_uri.
      endSessionEndpoint: `${props.auth.hostedUiUrl}/logout`,
    },
  };
}

/**
 * `config.json` beside `index.html`, written by Terraform from the API's and the user pool's values,
 * so one build serves every stage. `no-cache`: a new deployment's values reach every open tab's next load.
 */
export class WebConfigFile extends Construct {
  readonly object: S3Object;

  constructor(scope: Construct, id: string, props: WebConfigFileProps) {
    super(scope, id);
    this.object = new S3Object(this, 'object', {
      bucket: props.bucket.bucket.id,
      key: RUNTIME_CONFIG_PATH.slice(1),
      // Terraform interpolates the references inside the string; URLs and ids contain no quotes to escape.
      content: `${JSON.stringify(deployedRuntimeConfig(props), null, 2)}\n`,
      contentType: 'application/json; charset=utf-8',
      cacheControl: NO_CACHE,
      dependsOn: [props.bucket.encryption],
    });
  }
}
