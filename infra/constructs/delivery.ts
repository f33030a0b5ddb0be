import { CloudfrontDistribution } from '@cdktf/provider-aws/lib/cloudfront-distribution';
import { CloudfrontOriginAccessControl } from '@cdktf/provider-aws/lib/cloudfront-origin-access-control';
import { Construct } from 'constructs';
import { ENV } from '#shared/config';
import { OUTPUT_ROOT, PUBLIC_TAG } from '#shared/video';
import type { CustomDomain, StageConfig } from '../config.ts';
import type { BundledFunction } from './bundled-function.ts';
import { KMS_DECRYPT } from './encryption.ts';
import type { SecureBucket } from './media-storage.ts';
import { viewerCertificate } from './viewer-certificate.ts';

// AWS managed policies: https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/using-managed-cache-policies.html
const CACHING_OPTIMIZED = '658327ea-f89d-4fab-a63d-7e88639e58f6';
const SECURITY_HEADERS = '67f7725c-6f97-4210-82d7-5512b31e9d03';

/** Props of {@link Delivery}. */
export interface DeliveryProps {
  readonly config: StageConfig;
  readonly bucket: SecureBucket;
  /** Serve at this domain; undefined: at the distribution's own `*.cloudfront.net` domain. */
  readonly customDomain: CustomDomain | undefined;
}

/**
 * CloudFront in front of the transcoded bucket, HTTPS only, optionally at a custom domain (TLS 1.2+). Origin Access Control signs the requests;
 * the bucket policy lets this distribution read only objects tagged `visibility=public`, so a rendition
 * is servable exactly when `set-permissions` has made it so.
 */
export class Delivery extends Construct {
  readonly distribution: CloudfrontDistribution;
  /** Where viewers fetch renditions: the custom domain, or the distribution's own. */
  readonly domainName: string;
  /** The distribution's own domain: the DNS target of a custom domain. */
  readonly distributionDomainName: string;

  constructor(scope: Construct, id: string, props: DeliveryProps) {
    super(scope, id);
    const { config, bucket, customDomain } = props;
    const oac = new CloudfrontOriginAccessControl(this, 'oac', {
      name: `${config.namePrefix}-transcoded`,
      description: 'Signs CloudFront requests to the transcoded bucket',
      originAccessControlOriginType: 's3',
      signingBehavior: 'always',
      signingProtocol: 'sigv4',
    });
    const originId = 'transcoded';
    this.distribution = new CloudfrontDistribution(this, 'distribution', {
      comment: `24-Hour Video ${config.stage}: public renditions`,
      enabled: true,
      isIpv6Enabled: true,
      httpVersion: 'http2and3',
      priceClass: 'PriceClass_100',
      ...(customDomain ? { aliases: [customDomain.name] } : {}),
      origin: [
        { originId, domainName: bucket.bucket.bucketRegionalDomainName, originAccessControlId: oac.id },
      ],
      defaultCacheBehavior: {
        targetOriginId: originId,
        viewerProtocolPolicy: 'https-only',
        allowedMethods: ['GET', 'HEAD'],
        cachedMethods: ['GET', 'HEAD'],
        compress: false,
        cachePolicyId: CACHING_OPTIMIZED,
        responseHeadersPolicyId: SECURITY_HEADERS,
      },
      restrictions: { geoRestriction: { restrictionType: 'none' } },
      viewerCertificate: viewerCertificate(customDomain),
    });
    this.distributionDomainName = this.distribution.domainName;
    this.domainName = customDomain ? customDomain.name : this.distributionDomainName;

    bucket.addToResourcePolicy({
      Sid: 'CloudFrontReadsPublicRenditions',
      Effect: 'Allow',
      Principal: { Service: 'cloudfront.amazonaws.com' },
      Action: ['s3:GetObject'],
      Resource: [bucket.objectsArn(OUTPUT_ROOT)],
      Condition: {
        StringEquals: {
          'AWS:SourceArn': this.distribution.arn,
          [`s3:ExistingObjectTag/${PUBLIC_TAG.key}`]: PUBLIC_TAG.value,
        },
      },
    });
    bucket.key.allowService('CloudFrontDecryptsRenditions', 'cloudfront.amazonaws.com', KMS_DECRYPT, {
      StringEquals: { 'AWS:SourceArn': this.distribution.arn },
    });
  }

  /** Tells a function the CDN domain to build public URLs with. */
  exposeTo(fn: BundledFunction): void {
    fn.addEnvironment(ENV.CDN_DOMAIN, this.domainName);
  }
}
