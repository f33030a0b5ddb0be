import { CloudfrontCachePolicy } from '@cdktf/provider-aws/lib/cloudfront-cache-policy';
import { CloudfrontDistribution } from '@cdktf/provider-aws/lib/cloudfront-distribution';
import { CloudfrontOriginAccessControl } from '@cdktf/provider-aws/lib/cloudfront-origin-access-control';
import { Construct } from 'constructs';
import type { WebContentSources } from '#shared/web';
import type { CustomDomain, StageConfig } from '../config.ts';
import { signInOrigins } from './auth.ts';
import type { Delivery } from './delivery.ts';
import { KMS_DECRYPT, type PipelineKey } from './encryption.ts';
import { type MediaStorage, SecureBucket } from './media-storage.ts';
import { SpaRouting } from './spa-routing.ts';
import { viewerCertificate } from './viewer-certificate.ts';
import { WebAssets } from './web-assets.ts';
import { WebConfigFile, type WebConfigFileProps } from './web-config.ts';
import { WebResponseHeaders } from './web-headers.ts';

/** Props of {@link WebHosting}. */
export interface WebHostingProps {
  readonly config: StageConfig;
  /** Serve the app at this domain; undefined: at the distribution's own `*.cloudfront.net` domain. */
  readonly customDomain: CustomDomain | undefined;
  readonly key: PipelineKey;
  /** The built app: `web/dist` after `npm run build:web`. */
  readonly buildDir: string;
  /** What the app's pages may load and reach besides their own origin (see {@link appContentSources}). */
  readonly contentSources: WebContentSources;
}

/**
 * What the deployed app talks to, for its Content-Security-Policy: the API, sign-in (issuer and hosted
 * UI), the upload bucket it POSTs to, the CDN of public renditions, and the transcoded bucket that
 * owners' presigned GETs of private videos point at. None of them is a reference to the API or to
 * Cognito: the API's CORS and Cognito's callbacks name the app's distribution, so the distribution
 * must not depend on them.
 */
export function appContentSources(props: {
  readonly config: Pick<StageConfig, 'namePrefix' | 'region'>;
  readonly storage: MediaStorage;
  readonly delivery: Delivery;
}): WebContentSources {
  const { config, storage, delivery } = props;
  const signIn = signInOrigins(config);
  return {
    // The API's host carries its generated id, and naming it would close a cycle (the distribution would
    // depend on the API, whose CORS depends on the distribution), so: API Gateway in this region.
    connect: [
      `https://*.execute-api.${config.region}.amazonaws.com`,
      signIn.issuer,
      signIn.hostedUi,
      storage.uploads.s3Origin,
    ],
    media: [`https://${delivery.domainName}`, storage.transcoded.s3Origin],
    formAction: [signIn.hostedUi],
  };
}

// AWS's default cache policy TTLs cap out at a year too.
const ONE_YEAR_SECONDS = 31_536_000;

/**
 * The web app, deployed: the build in a private, KMS-encrypted bucket ({@link SecureBucket}) that only
 * this CloudFront distribution reads, through Origin Access Control; client routes answered with
 * `index.html` by a viewer-request function ({@link SpaRouting}); the strict security headers of
 * {@link WebResponseHeaders}; a cache policy that honours each object's Cache-Control (immutable hashed
 * assets, `no-cache` documents) with a minimum TTL of 0; and the build uploaded by Terraform
 * ({@link WebAssets}), so `cdktf apply` deploys the whole product.
 *
 * A distribution of its own rather than a default behaviour on the renditions' one ({@link Delivery}):
 * - the app's routes and the renditions share the `/videos/` path space (the watch page is
 *   `/videos/<id>`, its files `videos/<id>/720p.mp4`), so one distribution would have to route by
 *   the number of path segments under `/videos/`, silently tying every future app route there to the
 *   bucket layout;
 * - the delivery gate stays untouched, and changing or re-creating the app's distribution never
 *   changes a public video URL;
 * - caching, compression, headers and TLS settings differ (documents revalidated and compressed, with
 *   a strict CSP; video cached long, byte ranges, uncompressed).
 *
 * The price: the media CDN is a second origin in `img-src`/`media-src` (no CORS needed, `<video>` and
 * `<img>` do not use it) and needs its own certificate if it ever gets a custom domain.
 */
export class WebHosting extends Construct {
  readonly bucket: SecureBucket;
  readonly distribution: CloudfrontDistribution;
  readonly headers: WebResponseHeaders;
  readonly routing: SpaRouting;
  readonly assets: WebAssets;
  /** The distribution's own domain: the app's, or the DNS target of the custom domain. */
  readonly domainName: string;
  /** Where the app runs: `https://<custom domain>` or `https://<distribution domain>`. */
  readonly origin: string;

  constructor(scope: Construct, id: string, props: WebHostingProps) {
    super(scope, id);
    const { config, customDomain, key } = props;

    this.bucket = new SecureBucket(this, 'web', {
      bucketName: `${config.namePrefix}-web`,
      key,
      region: config.region,
      forceDestroy: !config.deletionProtection,
    });
    this.assets = new WebAssets(this, 'assets', { bucket: this.bucket, buildDir: props.buildDir });
    this.routing = new SpaRouting(this, 'routing', { name: `${config.namePrefix}-web-routes` });
    this.headers = new WebResponseHeaders(this, 'headers', {
      name: `${config.namePrefix}-web`,
      sources: props.contentSources,
    });
    const cachePolicy = new CloudfrontCachePolicy(this, 'cache-policy', {
      name: `${config.namePrefix}-web`,
      comment: "Honours each object's Cache-Control: hashed assets a year, no-cache documents revalidated",
      minTtl: 0,
      // Every uploaded object states its Cache-Control; anything that does not is not cached.
      defaultTtl: 0,
      maxTtl: ONE_YEAR_SECONDS,
      parametersInCacheKeyAndForwardedToOrigin: {
        cookiesConfig: { cookieBehavior: 'none' },
        headersConfig: { headerBehavior: 'none' },
        queryStringsConfig: { queryStringBehavior: 'none' },
        enableAcceptEncodingBrotli: true,
        enableAcceptEncodingGzip: true,
      },
    });
    const oac = new CloudfrontOriginAccessControl(this, 'oac', {
      name: `${config.namePrefix}-web`,
      description: 'Signs CloudFront requests to the web app bucket',
      originAccessControlOriginType: 's3',
      signingBehavior: 'always',
      signingProtocol: 'sigv4',
    });

    const originId = 'web';
    this.distribution = new CloudfrontDistribution(this, 'distribution', {
      comment: `24-Hour Video ${config.stage}: web app`,
      enabled: true,
      isIpv6Enabled: true,
      httpVersion: 'http2and3',
      priceClass: 'PriceClass_100',
      defaultRootObject: 'index.html',
      ...(customDomain ? { aliases: [customDomain.name] } : {}),
      origin: [
        {
          originId,
          domainName: this.bucket.bucket.bucketRegionalDomainName,
          originAccessControlId: oac.id,
        },
      ],
      defaultCacheBehavior: {
        targetOriginId: originId,
        viewerProtocolPolicy: 'redirect-to-https',
        allowedMethods: ['GET', 'HEAD'],
        cachedMethods: ['GET', 'HEAD'],
        compress: true,
        cachePolicyId: cachePolicy.id,
        responseHeadersPolicyId: this.headers.policy.id,
        functionAssociation: [{ eventType: 'viewer-request', functionArn: this.routing.arn }],
      },
      restrictions: { geoRestriction: { restrictionType: 'none' } },
      viewerCertificate: viewerCertificate(customDomain),
    });
    this.domainName = this.distribution.domainName;
    this.origin = `https://${customDomain ? customDomain.name : this.domainName}`;

    const onlyThisDistribution = { StringEquals: { 'AWS:SourceArn': this.distribution.arn } };
    this.bucket.addToResourcePolicy({
      Sid: 'CloudFrontReadsWebApp',
      Effect: 'Allow',
      Principal: { Service: 'cloudfront.amazonaws.com' },
      Action: ['s3:GetObject'],
      Resource: [this.bucket.objectsArn()],
      Condition: onlyThisDistribution,
    });
    // Without list access S3 answers 403 for a missing key; with it, 404.
    this.bucket.addToResourcePolicy({
      Sid: 'CloudFrontListsWebApp',
      Effect: 'Allow',
      Principal: { Service: 'cloudfront.amazonaws.com' },
      Action: ['s3:ListBucket'],
      Resource: [this.bucket.arn],
      Condition: onlyThisDistribution,
    });
    key.allowService(
      'CloudFrontDecryptsWebApp',
      'cloudfront.amazonaws.com',
      KMS_DECRYPT,
      onlyThisDistribution,
    );
  }

  /** Writes the app's `config.json` (API URL, sign-in settings, this origin's redirect URLs). */
  publishConfig(props: Omit<WebConfigFileProps, 'bucket' | 'origin'>): WebConfigFile {
    return new WebConfigFile(this, 'config', { ...props, bucket: this.bucket, origin: this.origin });
  }
}
