import { CloudfrontResponseHeadersPolicy } from '@cdktf/provider-aws/lib/cloudfront-response-headers-policy';
import { Construct } from 'constructs';
import {
  contentSecurityPolicy,
  FRAME_OPTIONS,
  HSTS_MAX_AGE_SECONDS,
  REFERRER_POLICY,
  type WebContentSources,
} from '#shared/web';

/** Props of {@link WebResponseHeaders}. */
export interface WebResponseHeadersProps {
  /** Physical name of the policy. */
  readonly name: string;
  readonly sources: WebContentSources;
}

/**
 * The response-headers policy of the web app: the Content-Security-Policy of `#shared/web` for these
 * sources, HSTS, `nosniff`, `X-Frame-Options: DENY` and the referrer policy, overriding whatever the
 * origin sends. The local static server sends the same headers from the same module.
 */
export class WebResponseHeaders extends Construct {
  readonly policy: CloudfrontResponseHeadersPolicy;
  /** The Content-Security-Policy, with Terraform references where the sources are resources. */
  readonly contentSecurityPolicy: string;

  constructor(scope: Construct, id: string, props: WebResponseHeadersProps) {
    super(scope, id);
    this.contentSecurityPolicy = contentSecurityPolicy(props.sources);
    this.policy = new CloudfrontResponseHeadersPolicy(this, 'policy', {
      name: props.name,
      comment: 'Web app: strict CSP, HSTS, nosniff, no framing',
      securityHeadersConfig: {
        contentSecurityPolicy: { contentSecurityPolicy: this.contentSecurityPolicy, override: true },
        strictTransportSecurity: {
          accessControlMaxAgeSec: HSTS_MAX_AGE_SECONDS,
          includeSubdomains: true,
          override: true,
        },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: FRAME_OPTIONS, override: true },
        referrerPolicy: { referrerPolicy: REFERRER_POLICY, override: true },
      },
    });
  }
}
