import { createHash } from 'node:crypto';
import { cpSync, writeFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { expect } from 'chai';
import { runChecks, type TerraformJson } from '#infra/aspects/checks.ts';
import { LOCAL_DEV_WEB_ORIGIN, LOCAL_WEB_ORIGIN } from '#infra/config.ts';
import { SPA_ROUTING_CODE } from '#infra/constructs/spa-routing.ts';
import { MissingWebBuildError } from '#infra/constructs/web-assets.ts';
import { ENV } from '#shared/config';
import { contentSecurityPolicy } from '#shared/web';
import {
  createFixture,
  type Fixture,
  lambda,
  refTo,
  resourcesOf,
  STUB_WEB_BUILD,
  STUB_WEB_KEYS,
  single,
  statements,
  synthStage,
  type Tf,
} from '#test/support/infra.ts';
import { dependencyGraph, dependsOn, findCycle } from '../../support/terraform-graph.ts';

const isWebCdn = (d: Tf) => String(d.comment).endsWith(': web app');
const isMediaCdn = (d: Tf) => String(d.comment).endsWith(': public renditions');
const bucketRef = (tf: Tf, name: string, attr: string) =>
  refTo(tf, 'aws_s3_bucket', (b) => b.bucket === name, attr);
const addressOf = (tf: Tf, type: string, where: (r: Tf) => boolean) =>
  refTo(tf, type, where, 'x').replace(/^\$\{(.*)\.x\}$/, '$1');
const buildObjects = (tf: Tf) =>
  Object.values(resourcesOf(tf, 'aws_s3_object')).filter((o) => o.key !== 'config.json');
const configObject = (tf: Tf) => single(tf, 'aws_s3_object', (o) => o.key === 'config.json');
const CERTIFICATE = 'arn:aws:acm:us-east-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b';

/** A viewer-request event as CloudFront Functions pass it. */
function viewerRequest(uri: string): Tf {
  return {
    version: '1.0',
    context: { eventType: 'viewer-request', distributionId: 'E123' },
    viewer: { ip: '198.51.100.7' },
    request: { method: 'GET', uri, querystring: { code: { value: 'abc' } }, headers: {}, cookies: {} },
  };
}

describe('infra WebHosting', () => {
  let fixture: Fixture;
  let tf: Tf;
  let origin: string;
  before(() => {
    fixture = createFixture();
    tf = synthStage(fixture, 'dev').tf;
    origin = `https://${refTo(tf, 'aws_cloudfront_distribution', isWebCdn, 'domain_name')}`;
  });
  after(() => fixture.cleanup());

  describe('bucket and origin access', () => {
    it('keeps the build in a private, KMS-encrypted bucket of its own', () => {
      const companion = (type: string) =>
        single(tf, type, (r) => r.bucket === bucketRef(tf, '24hv-dev-web', 'id'));
      expect(companion('aws_s3_bucket_public_access_block')).to.include({
        block_public_acls: true,
        block_public_policy: true,
        ignore_public_acls: true,
        restrict_public_buckets: true,
      });
      expect(
        companion('aws_s3_bucket_server_side_encryption_configuration').rule[0]
          .apply_server_side_encryption_by_default,
      ).to.deep.equal({
        sse_algorithm: 'aws:kms',
        kms_master_key_id: refTo(tf, 'aws_kms_key', () => true, 'arn'),
      });
    });

    it('lets only the web distribution read it (and list it, so a missing file is a 404), over TLS', () => {
      const policy = single(
        tf,
        'aws_s3_bucket_policy',
        (p) => p.bucket === bucketRef(tf, '24hv-dev-web', 'id'),
      );
      const arn = bucketRef(tf, '24hv-dev-web', 'arn');
      const onlyWebCdn = {
        StringEquals: { 'AWS:SourceArn': refTo(tf, 'aws_cloudfront_distribution', isWebCdn, 'arn') },
      };
      expect(statements(policy.policy)).to.deep.equal([
        {
          Sid: 'DenyInsecureTransport',
          Effect: 'Deny',
          Principal: '*',
          Action: ['s3:*'],
          Resource: [arn, `${arn}/*`],
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        },
        {
          Sid: 'CloudFrontReadsWebApp',
          Effect: 'Allow',
          Principal: { Service: 'cloudfront.amazonaws.com' },
          Action: ['s3:GetObject'],
          Resource: [`${arn}/*`],
          Condition: onlyWebCdn,
        },
        {
          Sid: 'CloudFrontListsWebApp',
          Effect: 'Allow',
          Principal: { Service: 'cloudfront.amazonaws.com' },
          Action: ['s3:ListBucket'],
          Resource: [arn],
          Condition: onlyWebCdn,
        },
      ]);
    });

    it('signs requests to the bucket with an Origin Access Control of its own', () => {
      const oac = single(tf, 'aws_cloudfront_origin_access_control', (o) => o.name === '24hv-dev-web');
      expect(oac).to.include({
        origin_access_control_origin_type: 's3',
        signing_behavior: 'always',
        signing_protocol: 'sigv4',
      });
      expect(single(tf, 'aws_cloudfront_distribution', isWebCdn).origin).to.deep.equal([
        {
          origin_id: 'web',
          domain_name: bucketRef(tf, '24hv-dev-web', 'bucket_regional_domain_name'),
          origin_access_control_id: refTo(
            tf,
            'aws_cloudfront_origin_access_control',
            (o) => o.name === '24hv-dev-web',
            'id',
          ),
        },
      ]);
    });

    it('lets the web distribution decrypt with the key, as itself only', () => {
      const key = statements(single(tf, 'aws_kms_key_policy').policy);
      expect(key.find((s) => s.Sid === 'CloudFrontDecryptsWebApp')).to.deep.equal({
        Sid: 'CloudFrontDecryptsWebApp',
        Effect: 'Allow',
        Principal: { Service: 'cloudfront.amazonaws.com' },
        Action: ['kms:Decrypt'],
        Resource: ['*'],
        Condition: {
          StringEquals: { 'AWS:SourceArn': refTo(tf, 'aws_cloudfront_distribution', isWebCdn, 'arn') },
        },
      });
    });

    it('leaves the delivery gate as it was: the web distribution gets nothing of the transcoded bucket', () => {
      const policy = single(
        tf,
        'aws_s3_bucket_policy',
        (p) => p.bucket === bucketRef(tf, '24hv-dev-transcoded', 'id'),
      );
      const reads = statements(policy.policy).filter((s) => s.Effect === 'Allow');
      expect(reads.map((s) => s.Sid)).to.deep.equal(['CloudFrontReadsPublicRenditions']);
      expect(reads[0]?.Condition?.StringEquals).to.deep.equal({
        'AWS:SourceArn': refTo(tf, 'aws_cloudfront_distribution', isMediaCdn, 'arn'),
        's3:ExistingObjectTag/visibility': 'public',
      });
    });
  });

  describe('distribution', () => {
    it('serves the app on its default behaviour: HTTPS, compressed, own cache, headers and routing function', () => {
      const behaviour = single(tf, 'aws_cloudfront_distribution', isWebCdn).default_cache_behavior;
      expect(behaviour).to.deep.equal({
        target_origin_id: 'web',
        viewer_protocol_policy: 'redirect-to-https',
        allowed_methods: ['GET', 'HEAD'],
        cached_methods: ['GET', 'HEAD'],
        compress: true,
        cache_policy_id: refTo(tf, 'aws_cloudfront_cache_policy', () => true, 'id'),
        response_headers_policy_id: refTo(tf, 'aws_cloudfront_response_headers_policy', () => true, 'id'),
        function_association: [
          {
            event_type: 'viewer-request',
            function_arn: refTo(tf, 'aws_cloudfront_function', () => true, 'arn'),
          },
        ],
      });
    });

    it('has no custom error responses on either distribution, so a refused rendition stays a 403', () => {
      for (const cdn of Object.values(resourcesOf(tf, 'aws_cloudfront_distribution'))) {
        expect(cdn, cdn.comment).not.to.have.property('custom_error_response');
      }
    });

    it("honours the objects' Cache-Control: minimum and default TTL 0, at most a year, no cookies or query strings", () => {
      const policy = single(tf, 'aws_cloudfront_cache_policy');
      expect(policy).to.include({ name: '24hv-dev-web', min_ttl: 0, default_ttl: 0, max_ttl: 31536000 });
      expect(policy.parameters_in_cache_key_and_forwarded_to_origin).to.deep.equal({
        cookies_config: { cookie_behavior: 'none' },
        headers_config: { header_behavior: 'none' },
        query_strings_config: { query_string_behavior: 'none' },
        enable_accept_encoding_brotli: true,
        enable_accept_encoding_gzip: true,
      });
    });

    it("uses CloudFront's default certificate and domain when no custom domain is configured", () => {
      const cdn = single(tf, 'aws_cloudfront_distribution', isWebCdn);
      expect(cdn.viewer_certificate).to.deep.equal({ cloudfront_default_certificate: true });
      expect(cdn).not.to.have.property('aliases');
    });

    it('depends neither on the API nor on Cognito, and the stack has no dependency cycle', () => {
      const graph = dependencyGraph(tf);
      const webCdn = addressOf(tf, 'aws_cloudfront_distribution', isWebCdn);
      const api = addressOf(tf, 'aws_apigatewayv2_api', () => true);
      const signIn = ['aws_cognito_user_pool', 'aws_cognito_user_pool_client'].map((type) =>
        addressOf(tf, type, () => true),
      );
      expect(findCycle(graph)).to.equal(undefined);
      for (const address of [api, ...signIn])
        expect(dependsOn(graph, webCdn, address), address).to.equal(false);
      expect(dependsOn(graph, api, webCdn)).to.equal(true);

      // Naming the API's own host in the CSP would close a cycle:
      const headers = addressOf(tf, 'aws_cloudfront_response_headers_policy', () => true);
      const withApiHost = structuredClone(graph);
      withApiHost.get(headers)?.add(api);
      expect(findCycle(withApiHost)).to.include.members([webCdn, api]);
    });
  });

  describe('client routes', () => {
    const handler = runInNewContext(`${SPA_ROUTING_CODE}\nhandler;`, {}) as (event: Tf) => Tf;

    it('is the code the function carries, published on the cloudfront-js-2.0 runtime', () => {
      expect(single(tf, 'aws_cloudfront_function')).to.include({
        name: '24hv-dev-web-routes',
        runtime: 'cloudfront-js-2.0',
        publish: true,
        code: SPA_ROUTING_CODE,
      });
    });

    for (const uri of [
      '/videos/x1uJ0mY2T0ugbVt9ZP5v3w',
      '/videos/abc',
      '/profile',
      '/callback',
      '/',
      '/videos/abc/',
    ]) {
      it(`answers ${uri} with /index.html, keeping the query string`, () => {
        const request = handler(viewerRequest(uri));
        expect(request.uri).to.equal('/index.html');
        expect(request.querystring).to.deep.equal({ code: { value: 'abc' } });
      });
    }

    for (const uri of [
      '/assets/x.js',
      '/assets/index-B1a2C3d4.js',
      '/config.json',
      '/favicon.svg',
      '/index.html',
    ]) {
      it(`passes ${uri} through unchanged`, () => {
        expect(handler(viewerRequest(uri)).uri).to.equal(uri);
      });
    }
  });

  describe('security headers', () => {
    const policy = () => single(tf, 'aws_cloudfront_response_headers_policy').security_headers_config;

    it("is #shared/web's Content-Security-Policy for the API, sign-in, upload bucket, CDN and transcoded bucket", () => {
      const s3 = (bucket: string) => `https://${bucketRef(tf, bucket, 'bucket')}.s3.us-east-1.amazonaws.com`;
      const hostedUi = 'https://24hv-dev-auth.auth.us-east-1.amazoncognito.com';
      expect(policy().content_security_policy).to.deep.equal({
        content_security_policy: contentSecurityPolicy({
          connect: [
            'https://*.execute-api.us-east-1.amazonaws.com',
            'https://cognito-idp.us-east-1.amazonaws.com',
            hostedUi,
            s3('24hv-dev-uploads'),
          ],
          media: [
            `https://${refTo(tf, 'aws_cloudfront_distribution', isMediaCdn, 'domain_name')}`,
            s3('24hv-dev-transcoded'),
          ],
          formAction: [hostedUi],
        }),
        override: true,
      });
    });

    it("allows no inline script or style and no framing; scripts and styles are the app's own", () => {
      const csp = String(policy().content_security_policy.content_security_policy);
      expect(csp).not.to.include('unsafe-inline');
      expect(csp).not.to.include('unsafe-eval');
      expect(csp.split('; ')).to.include.members([
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "frame-ancestors 'none'",
        "object-src 'none'",
        "base-uri 'self'",
      ]);
    });

    it('sets HSTS for two years with subdomains, nosniff, DENY framing and the referrer policy, over the origin', () => {
      expect(policy()).to.deep.include({
        strict_transport_security: {
          access_control_max_age_sec: 63072000,
          include_subdomains: true,
          override: true,
        },
        content_type_options: { override: true },
        frame_options: { frame_option: 'DENY', override: true },
        referrer_policy: { referrer_policy: 'strict-origin-when-cross-origin', override: true },
      });
    });
  });

  describe('uploaded build', () => {
    it('uploads one object per build file, keyed by its path, leaving out build metadata and config.json', () => {
      expect(buildObjects(tf).map((o) => o.key)).to.deep.equal(STUB_WEB_KEYS);
      for (const object of buildObjects(tf))
        expect(object.bucket).to.equal(bucketRef(tf, '24hv-dev-web', 'id'));
    });

    it('caches hashed assets as immutable and everything else no-cache, each with its content type', () => {
      const byKey = Object.fromEntries(
        buildObjects(tf).map((o) => [o.key, [o.content_type, o.cache_control]]),
      );
      expect(byKey).to.deep.equal({
        'assets/index-B1a2C3d4.js': ['text/javascript; charset=utf-8', 'public, max-age=31536000, immutable'],
        'assets/index-Dx9y8Z7w.css': ['text/css; charset=utf-8', 'public, max-age=31536000, immutable'],
        'favicon.svg': ['image/svg+xml', 'no-cache'],
        'index.html': ['text/html; charset=utf-8', 'no-cache'],
      });
    });

    it('reads each file from its copy beside the stack, by a relative path, and hashes its content', () => {
      for (const object of buildObjects(tf)) {
        expect(isAbsolute(object.source), object.source).to.equal(false);
        expect(object.source).to.match(
          new RegExp(`^assets/[^/]+/web-build/${object.key.replace('.', '\\.')}$`),
        );
        expect(object.source_hash).to.equal(
          createHash('sha256')
            .update(STUB_WEB_BUILD[object.key] ?? '')
            .digest('hex'),
        );
        expect(object).not.to.have.property('etag');
      }
    });

    it("writes every object, config.json included, only once the bucket's default KMS encryption is in place", () => {
      const encryption = addressOf(
        tf,
        'aws_s3_bucket_server_side_encryption_configuration',
        (e) => e.bucket === bucketRef(tf, '24hv-dev-web', 'id'),
      );
      for (const object of [...buildObjects(tf), configObject(tf)]) {
        expect(object.depends_on, object.key).to.deep.equal([encryption]);
      }
    });

    it('synthesizes the same objects from the same build, and a change touches only the changed file', () => {
      expect(synthStage(fixture, 'dev').tf.resource.aws_s3_object).to.deep.equal(tf.resource.aws_s3_object);

      const changed = join(fixture.dir, 'web-dist-changed');
      cpSync(fixture.webBuild, changed, { recursive: true });
      writeFileSync(
        join(changed, 'favicon.svg'),
        '<svg xmlns="http://www.w3.org/2000/svg"><circle r="1"/></svg>\n',
      );
      const after = synthStage(fixture, 'dev', {}, { webBuild: changed }).tf.resource.aws_s3_object as Tf;
      const differing = Object.keys(after).filter(
        (name) => JSON.stringify(after[name]) !== JSON.stringify(tf.resource.aws_s3_object[name]),
      );
      expect(differing.map((name) => after[name].key)).to.deep.equal(['favicon.svg']);
    });

    it('stops synthesis of a hosting stage without a build, saying to run npm run build:web', () => {
      for (const stage of ['dev', 'prod'] as const) {
        expect(() => synthStage(fixture, stage, {}, { webBuild: join(fixture.dir, 'no-build') }))
          .to.throw(MissingWebBuildError)
          .with.property('message')
          .that.contains(join(fixture.dir, 'no-build'))
          .and.contains('npm run build:web');
      }
    });

    it('synthesizes the local stage without a build: the local cloud serves the app itself', () => {
      const local = synthStage(fixture, 'local', {}, { webBuild: join(fixture.dir, 'no-build') }).tf;
      expect(resourcesOf(local, 'aws_s3_object')).to.deep.equal({});
      expect(resourcesOf(local, 'aws_cloudfront_response_headers_policy')).to.deep.equal({});
      expect(Object.values(resourcesOf(local, 'aws_cloudfront_distribution')).filter(isWebCdn)).to.deep.equal(
        [],
      );
      expect(local.output.web_url.value).to.equal(LOCAL_WEB_ORIGIN);
      expect(single(local, 'aws_cognito_user_pool_client').callback_urls).to.deep.equal([
        `${LOCAL_WEB_ORIGIN}/callback`,
        `${LOCAL_DEV_WEB_ORIGIN}/callback`,
      ]);
    });
  });

  describe('config.json', () => {
    it('holds the API URL, the issuer, the client id, this origin and the hosted UI logout, from Terraform', () => {
      const pool = refTo(tf, 'aws_cognito_user_pool', () => true, 'id');
      expect(JSON.parse(configObject(tf).content)).to.deep.equal({
        apiUrl: refTo(tf, 'aws_apigatewayv2_api', () => true, 'api_endpoint'),
        auth: {
          authority: `https://cognito-idp.us-east-1.amazonaws.com/${pool}`,
          clientId: refTo(tf, 'aws_cognito_user_pool_client', () => true, 'id'),
          redirectUri: `${origin}/callback`,
          postLogoutRedirectUri: `${origin}/`,
          scope: 'openid email profile',
          endSessionEndpoint: `https://${refTo(tf, 'aws_cognito_user_pool_domain', () => true, 'domain')}.auth.us-east-1.amazoncognito.com/logout`,
        },
      });
    });

    it('is a no-cache JSON object in the web bucket, next to index.html', () => {
      expect(configObject(tf)).to.include({
        bucket: bucketRef(tf, '24hv-dev-web', 'id'),
        content_type: 'application/json; charset=utf-8',
        cache_control: 'no-cache',
      });
    });
  });

  describe("the app's origin", () => {
    it("is the distribution's domain in Cognito's callback and logout URLs, beside the dev server", () => {
      const client = single(tf, 'aws_cognito_user_pool_client');
      expect(client.callback_urls).to.deep.equal([`${origin}/callback`, 'http://localhost:5173/callback']);
      expect(client.logout_urls).to.deep.equal([`${origin}/`, 'http://localhost:5173/']);
    });

    it("is what the API's CORS, the upload bucket's CORS and the API functions allow", () => {
      expect(single(tf, 'aws_apigatewayv2_api').cors_configuration.allow_origins).to.deep.equal([
        origin,
        'http://localhost:5173',
      ]);
      expect(single(tf, 'aws_s3_bucket_cors_configuration').cors_rule[0].allowed_origins).to.deep.equal([
        origin,
        'http://localhost:5173',
      ]);
      for (const name of ['create-upload', 'list-videos', 'get-video']) {
        expect(lambda(tf, name).environment.variables[ENV.ALLOWED_ORIGIN], name).to.equal(origin);
      }
    });

    it('is output as web_url, with the bucket, the distribution and its domain for DNS', () => {
      expect(tf.output.web_url.value).to.equal(origin);
      expect(tf.output.web_bucket.value).to.equal(bucketRef(tf, '24hv-dev-web', 'bucket'));
      expect(tf.output.web_distribution_id.value).to.equal(
        refTo(tf, 'aws_cloudfront_distribution', isWebCdn, 'id'),
      );
      expect(tf.output.web_distribution_domain.value).to.equal(
        refTo(tf, 'aws_cloudfront_distribution', isWebCdn, 'domain_name'),
      );
    });

    describe('prod with a custom domain', () => {
      let prod: Tf;
      before(() => {
        prod = synthStage(fixture, 'prod', {
          WEB_DOMAIN: 'Video.Example.com',
          WEB_CERTIFICATE_ARN: CERTIFICATE,
        }).tf;
      });

      it('serves the domain with its us-east-1 certificate over SNI, TLS 1.2 at least', () => {
        const cdn = single(prod, 'aws_cloudfront_distribution', isWebCdn);
        expect(cdn.aliases).to.deep.equal(['video.example.com']);
        expect(cdn.viewer_certificate).to.deep.equal({
          acm_certificate_arn: CERTIFICATE,
          ssl_support_method: 'sni-only',
          minimum_protocol_version: 'TLSv1.2_2021',
        });
      });

      it('names https://video.example.com everywhere, and no dev server', () => {
        const domain = 'https://video.example.com';
        expect(single(prod, 'aws_cognito_user_pool_client').callback_urls).to.deep.equal([
          `${domain}/callback`,
        ]);
        expect(single(prod, 'aws_apigatewayv2_api').cors_configuration.allow_origins).to.deep.equal([domain]);
        expect(single(prod, 'aws_s3_bucket_cors_configuration').cors_rule[0].allowed_origins).to.deep.equal([
          domain,
        ]);
        expect(JSON.parse(configObject(prod).content).auth.redirectUri).to.equal(`${domain}/callback`);
        expect(prod.output.web_url.value).to.equal(domain);
      });

      it('passes every policy check, as dev does', () => {
        expect(runChecks(prod as TerraformJson)).to.deep.equal([]);
        expect(runChecks(tf as TerraformJson)).to.deep.equal([]);
      });
    });
  });
});
