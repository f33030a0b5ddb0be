import { expect } from 'chai';
import { ENV_READS as CREATE_UPLOAD_READS } from '#functions/create-upload/config.ts';
import { ENV_READS as GET_VIDEO_READS } from '#functions/get-video/config.ts';
import { ENV_READS as LIST_VIDEOS_READS } from '#functions/list-videos/config.ts';
import { ENV_READS as REQUEST_DELETION_READS } from '#functions/request-deletion/config.ts';
import { ENV_READS as UPDATE_VIDEO_READS } from '#functions/update-video/config.ts';
import { stageConfig } from '#infra/config.ts';
import { ACCESS_LOG_FORMAT } from '#infra/constructs/api.ts';
import { ENV } from '#shared/config';
import { API_ROUTES, routeKey } from '#shared/http';
import {
  createFixture,
  type Fixture,
  functionStatements,
  lambda,
  refTo,
  resourcesOf,
  single,
  synthStage,
  type Tf,
} from '#test/support/infra.ts';

const API_FUNCTIONS = [
  'create-upload',
  'list-videos',
  'get-video',
  'update-video',
  'request-deletion',
] as const;

const actionsOf = (tf: Tf, fn: string) => functionStatements(tf, fn).flatMap((s) => s.Action);

describe('infra VideoApi and UserAuth', () => {
  let fixture: Fixture;
  let tf: Tf;
  let local: Tf;
  /** The dev app's origin: its CloudFront distribution's domain. */
  let webOrigin: string;
  const dev = stageConfig('dev', {});

  before(() => {
    fixture = createFixture();
    tf = synthStage(fixture, 'dev').tf;
    local = synthStage(fixture, 'local').tf;
    webOrigin = `https://${refTo(tf, 'aws_cloudfront_distribution', (d) => String(d.comment).endsWith(': web app'), 'domain_name')}`;
  });
  after(() => fixture.cleanup());

  describe('routes', () => {
    it('has one route per API_ROUTES entry, each behind the JWT authorizer', () => {
      const routes = Object.values(resourcesOf(tf, 'aws_apigatewayv2_route'));
      const authorizer = refTo(tf, 'aws_apigatewayv2_authorizer', () => true, 'id');

      expect(routes.map((r) => r.route_key).sort()).to.deep.equal(API_ROUTES.map(routeKey).sort());
      for (const route of routes) {
        expect(route.authorization_type, route.route_key).to.equal('JWT');
        expect(route.authorizer_id, route.route_key).to.equal(authorizer);
      }
    });

    it('routes each to its own function through a payload-v2 Lambda proxy integration', () => {
      for (const apiRoute of API_ROUTES) {
        const route = single(tf, 'aws_apigatewayv2_route', (r) => r.route_key === routeKey(apiRoute));
        const integrationKey = /aws_apigatewayv2_integration\.([^.]+)\.id/.exec(route.target)?.[1] ?? '';
        const integration = resourcesOf(tf, 'aws_apigatewayv2_integration')[integrationKey];
        const fnRef = refTo(
          tf,
          'aws_lambda_function',
          (f) => String(f.function_name).endsWith(`-${apiRoute.functionName}`),
          'invoke_arn',
        );

        expect(route.target).to.match(/^integrations\/\$\{aws_apigatewayv2_integration\./);
        expect(integration).to.deep.include({
          integration_type: 'AWS_PROXY',
          payload_format_version: '2.0',
          integration_uri: fnRef,
        });
      }
    });

    it('lets API Gateway invoke each function only for its own route, from this account', () => {
      const permissions = Object.values(resourcesOf(tf, 'aws_lambda_permission')).filter(
        (p) => p.principal === 'apigateway.amazonaws.com',
      );
      const execution = refTo(tf, 'aws_apigatewayv2_api', () => true, 'execution_arn');

      expect(permissions.map((p) => p.source_arn).sort()).to.deep.equal(
        [
          `${execution}/*/GET/videos`,
          `${execution}/*/GET/videos/*`,
          `${execution}/*/POST/uploads`,
          `${execution}/*/PATCH/videos/*`,
          `${execution}/*/DELETE/videos/*`,
        ].sort(),
      );
      for (const permission of permissions) expect(permission.source_account).to.be.a('string').and.not.empty;
    });
  });

  describe('authorizer and sign-in', () => {
    it('verifies Cognito tokens of the web client from the Authorization header', () => {
      const authorizer = single(tf, 'aws_apigatewayv2_authorizer');
      const pool = refTo(tf, 'aws_cognito_user_pool', () => true, 'id');
      const client = refTo(tf, 'aws_cognito_user_pool_client', () => true, 'id');

      expect(authorizer).to.deep.include({
        authorizer_type: 'JWT',
        identity_sources: ['$request.header.Authorization'],
      });
      expect(authorizer.jwt_configuration).to.deep.equal({
        issuer: `https://cognito-idp.${dev.region}.amazonaws.com/${pool}`,
        audience: [client],
      });
    });

    it('gives the SPA a public client: authorization code (PKCE), no secret, no implicit grant', () => {
      const client = single(tf, 'aws_cognito_user_pool_client');

      expect(client).to.deep.include({
        generate_secret: false,
        allowed_oauth_flows: ['code'],
        allowed_oauth_flows_user_pool_client: true,
        callback_urls: [`${webOrigin}/callback`, 'http://localhost:5173/callback'],
        logout_urls: [`${webOrigin}/`, 'http://localhost:5173/'],
        supported_identity_providers: ['COGNITO'],
      });
      expect(client.allowed_oauth_scopes).to.include('openid');
      expect(client.explicit_auth_flows).not.to.include('ALLOW_USER_PASSWORD_AUTH');
    });

    it('has a hosted-UI domain on the pool and signs users in by e-mail', () => {
      const pool = refTo(tf, 'aws_cognito_user_pool', () => true, 'id');

      expect(single(tf, 'aws_cognito_user_pool_domain')).to.deep.include({
        domain: `${dev.namePrefix}-auth`,
        user_pool_id: pool,
      });
      expect(single(tf, 'aws_cognito_user_pool').username_attributes).to.deep.equal(['email']);
    });
  });

  describe('CORS', () => {
    it('allows only the web app origin and the dev server, with the headers the app sends', () => {
      const cors = single(tf, 'aws_apigatewayv2_api').cors_configuration;

      expect(cors).to.deep.include({
        allow_origins: [webOrigin, 'http://localhost:5173'],
        allow_headers: ['authorization', 'content-type'],
        allow_credentials: false,
      });
      expect(cors.allow_origins).not.to.include('*');
    });

    it('allows the methods of every route, PATCH and DELETE included, for preflights', () => {
      const cors = single(tf, 'aws_apigatewayv2_api').cors_configuration;

      expect(cors.allow_methods).to.deep.equal(['POST', 'GET', 'PATCH', 'DELETE', 'OPTIONS']);
    });

    it('matches the upload bucket CORS origin, so browser POSTs from the app work', () => {
      const apiOrigins = single(tf, 'aws_apigatewayv2_api').cors_configuration.allow_origins;
      const bucketRules = Object.values(resourcesOf(tf, 'aws_s3_bucket_cors_configuration')).flatMap(
        (c) => c.cors_rule,
      );
      const postRule = bucketRules.find((rule) => rule.allowed_methods.includes('POST'));

      expect(postRule?.allowed_origins).to.deep.equal(apiOrigins);
    });
  });

  describe('stage', () => {
    it('throttles the $default stage with the rate and burst from config', () => {
      const stage = single(tf, 'aws_apigatewayv2_stage');

      expect(stage).to.deep.include({ name: '$default', auto_deploy: true });
      expect(stage.default_route_settings).to.deep.include({
        throttling_rate_limit: dev.apiThrottle.rateLimit,
        throttling_burst_limit: dev.apiThrottle.burstLimit,
      });
    });

    it('writes JSON access logs to a log group with the configured retention, encrypted with the key', () => {
      const stage = single(tf, 'aws_apigatewayv2_stage');
      const groupRef = refTo(
        tf,
        'aws_cloudwatch_log_group',
        (g) => String(g.name).includes('apigateway'),
        'arn',
      );
      const group = single(tf, 'aws_cloudwatch_log_group', (g) => String(g.name).includes('apigateway'));

      expect(stage.access_log_settings.destination_arn).to.equal(groupRef);
      expect(JSON.parse(stage.access_log_settings.format)).to.deep.equal(ACCESS_LOG_FORMAT);
      expect(group.retention_in_days).to.equal(dev.logRetentionDays);
      expect(group.kms_key_id).to.equal(refTo(tf, 'aws_kms_key', () => true, 'arn'));
    });
  });

  describe('grants', () => {
    it('lets create-upload put items and objects under uploads/ only', () => {
      const statements = functionStatements(tf, 'create-upload');
      const table = refTo(tf, 'aws_dynamodb_table', () => true, 'arn');
      const uploads = refTo(tf, 'aws_s3_bucket', (b) => String(b.bucket).endsWith('-uploads'), 'arn');

      expect(statements.find((s) => s.Sid === 'VideoTableItems')).to.deep.include({
        Action: ['dynamodb:PutItem'],
        Resource: [table],
      });
      const put = statements.find((s) => s.Action.includes('s3:PutObject'));
      expect(put?.Resource).to.deep.equal([`${uploads}/uploads/*/*/*`]);
      // A browser's POST is one request: S3 needs a data key, never to decrypt.
      expect(statements.find((s) => s.Sid === 'EncryptUploads')?.Action).to.deep.equal([
        'kms:GenerateDataKey',
      ]);
      expect(actionsOf(tf, 'create-upload')).not.to.include.members([
        'dynamodb:UpdateItem',
        's3:GetObject',
        'kms:Decrypt',
      ]);
    });

    it('lets list-videos query the two indexes only, and get-video read single items only', () => {
      const table = refTo(tf, 'aws_dynamodb_table', () => true, 'arn');
      const dynamo = (name: string) =>
        functionStatements(tf, name)
          .filter((s) => s.Action.some((a) => a.startsWith('dynamodb:')))
          .map((s) => [s.Action, s.Resource]);

      expect(dynamo('list-videos')).to.deep.equal([
        [['dynamodb:Query'], [`${table}/index/byStatus`, `${table}/index/byOwner`]],
      ]);
      expect(dynamo('get-video')).to.deep.equal([[['dynamodb:GetItem'], [table]]]);
    });

    it('lets the readers sign GETs of renditions and posters for owners of private videos, when playback goes through the CDN', () => {
      for (const name of ['list-videos', 'get-video']) {
        const actions = actionsOf(tf, name);
        const read = functionStatements(tf, name).find((s) => s.Action.includes('s3:GetObject'));

        expect(
          actions.filter(
            (a) => (a.startsWith('s3:') && a !== 's3:GetObject') || a.startsWith('dynamodb:Put'),
          ),
          name,
        ).to.deep.equal([]);
        const transcoded = refTo(tf, 'aws_s3_bucket', (b) => String(b.bucket).endsWith('-transcoded'), 'arn');
        expect(read?.Resource, name).to.deep.equal([
          `${transcoded}/videos/*.mp4`,
          `${transcoded}/videos/*/poster.*`,
        ]);
        expect(lambda(tf, name).environment.variables[ENV.CDN_DOMAIN], name).to.equal(
          refTo(
            tf,
            'aws_cloudfront_distribution',
            (d) => String(d.comment).endsWith(': public renditions'),
            'domain_name',
          ),
        );
      }
    });

    it('lets update-video update single items and tag outputs under videos/, and delete nothing', () => {
      const statements = functionStatements(tf, 'update-video');
      const table = refTo(tf, 'aws_dynamodb_table', () => true, 'arn');
      const transcoded = refTo(tf, 'aws_s3_bucket', (b) => String(b.bucket).endsWith('-transcoded'), 'arn');

      expect(statements.find((s) => s.Sid === 'VideoTableItems')).to.deep.include({
        Action: ['dynamodb:GetItem', 'dynamodb:UpdateItem'],
        Resource: [table],
      });
      expect(statements.find((s) => s.Sid === 'TagTranscoded')).to.deep.include({
        Action: ['s3:GetObjectTagging', 's3:PutObjectTagging'],
        Resource: [`${transcoded}/videos/*.mp4`, `${transcoded}/videos/*/poster.*`],
      });
      expect(actionsOf(tf, 'update-video')).not.to.include.members([
        'dynamodb:PutItem',
        's3:DeleteObject',
        's3:DeleteObjectVersion',
        'lambda:InvokeFunction',
      ]);
    });

    it('lets request-deletion update single items and invoke delete-video only, and touch no object', () => {
      const actions = actionsOf(tf, 'request-deletion');
      const invoke = functionStatements(tf, 'request-deletion').find((s) => s.Sid === 'InvokeDeleteVideo');

      expect(actions.filter((a) => a.startsWith('dynamodb:'))).to.deep.equal([
        'dynamodb:GetItem',
        'dynamodb:UpdateItem',
      ]);
      expect(actions.filter((a) => a.startsWith('s3:'))).to.deep.equal([]);
      expect(invoke?.Resource).to.deep.equal([
        refTo(tf, 'aws_lambda_function', (f) => String(f.function_name).endsWith('-delete-video'), 'arn'),
      ]);
      expect(lambda(tf, 'request-deletion').environment.variables[ENV.DELETE_VIDEO_FUNCTION]).to.equal(
        refTo(
          tf,
          'aws_lambda_function',
          (f) => String(f.function_name).endsWith('-delete-video'),
          'function_name',
        ),
      );
    });

    it('lets the readers sign GETs of renditions instead when playback is presigned (local stage)', () => {
      for (const name of ['list-videos', 'get-video']) {
        const read = functionStatements(local, name).find((s) => s.Action.includes('s3:GetObject'));

        expect(read?.Resource[0], name).to.match(/\/videos\/\*\.mp4$/);
        expect(lambda(local, name).environment.variables, name).not.to.have.property(ENV.CDN_DOMAIN);
      }
    });

    it('sets every variable each API function requires, and only ones it reads', () => {
      const reads: Record<string, readonly string[]> = {
        'create-upload': CREATE_UPLOAD_READS,
        'list-videos': LIST_VIDEOS_READS,
        'get-video': GET_VIDEO_READS,
        'update-video': UPDATE_VIDEO_READS,
        'request-deletion': REQUEST_DELETION_READS,
      };
      for (const name of API_FUNCTIONS) {
        const set = Object.keys(lambda(tf, name).environment.variables).filter((v) => v !== 'NODE_OPTIONS');
        const required =
          reads[name]?.filter((v) => v !== ENV.CDN_DOMAIN && v !== ENV.S3_FORCE_PATH_STYLE) ?? [];

        expect(set, name).to.include.members(required);
        expect(reads[name], name).to.include.members(set);
      }
      expect(lambda(tf, 'create-upload').environment.variables).to.deep.include({
        [ENV.MAX_UPLOAD_BYTES]: String(dev.maxUploadBytes),
        [ENV.ALLOWED_ORIGIN]: webOrigin,
      });
    });
  });

  describe('outputs', () => {
    it('exports the API URL and the Cognito ids', () => {
      expect(tf.output).to.include.keys(
        'api_url',
        'cognito_user_pool_id',
        'cognito_client_id',
        'cognito_issuer',
        'cognito_hosted_ui',
      );
      expect(tf.output.api_url.value).to.equal(refTo(tf, 'aws_apigatewayv2_stage', () => true, 'invoke_url'));
    });
  });
});
