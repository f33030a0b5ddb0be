import type { CloudfrontDistributionViewerCertificate } from '@cdktf/provider-aws/lib/cloudfront-distribution';
import type { CustomDomain } from '../config.ts';

/**
 * A distribution's TLS: at a custom domain, its ACM certificate over SNI with TLS 1.2 or later
 * (`TLSv1.2_2021`); without one, the `*.cloudfront.net` certificate, which always accepts TLS 1.0 and
 * up (CloudFront ignores a minimum protocol version with it).
 * https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/secure-connections-supported-viewer-protocols-ciphers.html
 */
export function viewerCertificate(domain: CustomDomain | undefined): CloudfrontDistributionViewerCertificate {
  return domain
    ? {
        acmCertificateArn: domain.certificateArn,
        sslSupportMethod: 'sni-only',
        minimumProtocolVersion: 'TLSv1.2_2021',
      }
    : { cloudfrontDefaultCertificate: true };
}
