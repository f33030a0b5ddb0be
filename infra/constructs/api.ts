import { Apigatewayv2Api } from '@cdktf/provider-aws/lib/apigatewayv2-api';
import { Apigatewayv2Authorizer } from '@cdktf/provider-aws/lib/apigatewayv2-authorizer';
import { Apigatewayv2Integration } from '@cdktf/provider-aws/lib/apigatewayv2-integration';
import { Apigatewayv2Route } from '@cdktf/provider-aws/lib/apigatewayv2-route';
import { Apigatewayv2Stage } from '@cdktf/provider-aws/lib/apigatewayv2-stage';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { Construct } from 'constructs';
import { ENV } from '#shared/config';
import { API_ROUTES, corsMethods, routeKey } from '#shared/http';
import { type StageConfig, type WebOrigins, webOrigins } from '../config.ts';
import type { UserAuth } from './auth.ts';
import type { BundledFunction } from './bundled-function.ts';
import type { Delivery } from './delivery.ts';
import type { PipelineKey } from './encryption.ts';
import { KEYS, type MediaStorage } from './media-storage.ts';
import type { VideoTable } from './video-table.ts';

/** Creates one API function through the stack's function factory. */
export type ApiFunctionFactory = (
  name: string,
  options: { description: string; async: false },
) => BundledFunction;

/** Props of {@link VideoApi}. */
export interface VideoApiProps {
  readonly config: StageConfig;
  readonly auth: UserAuth;
  readonly table: VideoTable;
  readonly storage: MediaStorage;
  readonly delivery: Delivery;
  /** Encrypts the access logs. */
  readonly key: PipelineKey;
  /** The web app's origins: CORS allows each. */
  readonly origins: WebOrigins;
  readonly addFunction: ApiFunctionFactory;
  /** The worker `DELETE /videos/{videoId}` hands the purge to. */
  readonly deleteVideo: BundledFunction;
}

/** Headers the web app sends; nothing else passes a preflight. */
export const API_ALLOWED_HEADERS = ['authorization', 'content-type'] as const;

/**
 * The fields of each access-log line (JSON). `$context.authorizer.error` names why a token was
 * refused, which is the first question when a user reports a 401.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-logging-variables.html
 */
export const ACCESS_LOG_FORMAT = {
  requestId: '$context.requestId',
  ip: '$context.identity.sourceIp',
  requestTime: '$context.requestTime',
  httpMethod: '$context.httpMethod',
  routeKey: '$context.routeKey',
  path: '$context.path',
  status: '$context.status',
  protocol: '$context.protocol',
  responseLength: '$context.responseLength',
  integrationLatency: '$context.integrationLatency',
  integrationError: '$context.integrationErrorMessage',
  authorizerError: '$context.authorizer.error',
  sub: '$context.authorizer.claims.sub',
} as const;

/**
 * The HTTP API: one route per entry of `API_ROUTES`, each a Lambda proxy integration (payload v2)
 * behind the Cognito JWT authorizer; CORS for the web app's origin only; a `$default` stage with
 * throttling from the stage config and JSON access logs, encrypted with the stack's key. Its functions
 * get only the calls their code makes (`functions/<name>/permissions.ts`): create-upload puts new
 * video items and signs POSTs under `uploads/`; list-videos queries the two indexes and get-video
 * reads one item, both presigning GETs of an owner's private renditions and poster; update-video
 * also re-tags them; request-deletion only writes the tombstone and invokes delete-video, which alone
 * may delete objects.
 */
export class VideoApi extends Construct {
  readonly api: Apigatewayv2Api;
  readonly stage: Apigatewayv2Stage;
  readonly authorizer: Apigatewayv2Authorizer;
  readonly accessLogs: CloudwatchLogGroup;
  readonly functions: Readonly<Record<string, BundledFunction>>;
  readonly routes: Readonly<Record<string, Apigatewayv2Route>>;
  /** Invoke URL of the `$default` stage. */
  readonly url: string;

  constructor(scope: Construct, id: string, props: VideoApiProps) {
    super(scope, id);
    const { config, auth, table, storage, delivery, origins } = props;

    const createUpload = props.addFunction('create-upload', {
      description: 'POST /uploads: validates a video and returns a presigned POST limited to it',
      async: false,
    });
    // A conditional PutItem of the new video, nothing else.
    createUpload.grantTable(table, { items: ['PutItem'] });
    // The POST is authorized as the signer: its role must be allowed to put what the policy allows.
    createUpload.grantPut(storage.uploads, [KEYS.apiUploads]);
    createUpload.addEnvironment(ENV.MAX_UPLOAD_BYTES, String(config.maxUploadBytes));
    createUpload.addEnvironment(ENV.ALLOWED_ORIGIN, origins.webOrigin);

    // Presigned GETs are authorized as the signer: it must be able to read the renditions and poster.
    const grantPlayback = (fn: BundledFunction) => {
      fn.grantRead(storage.transcoded, [KEYS.renditions, KEYS.poster]);
      if (config.playback === 'cdn') delivery.exposeTo(fn);
      fn.addEnvironment(ENV.ALLOWED_ORIGIN, origins.webOrigin);
    };
    const listVideos = props.addFunction('list-videos', {
      description: "GET /videos: the public READY catalogue or the caller's own videos, paginated",
      async: false,
    });
    listVideos.grantTable(table, { query: ['byStatus', 'byOwner'] });
    grantPlayback(listVideos);

    const getVideo = props.addFunction('get-video', {
      description: 'GET /videos/{videoId}: one video, for progress polling',
      async: false,
    });
    getVideo.grantTable(table, { items: ['GetItem'] });
    grantPlayback(getVideo);

    const updateVideo = props.addFunction('update-video', {
      description: "PATCH /videos/{videoId}: the owner's title, description and visibility",
      async: false,
    });
    updateVideo.grantTable(table, { items: ['GetItem', 'UpdateItem'] });
    updateVideo.grantTagging(storage.transcoded, [KEYS.renditions, KEYS.poster]);
    grantPlayback(updateVideo);

    const requestDeletion = props.addFunction('request-deletion', {
      description: 'DELETE /videos/{videoId}: records the deletion, delete-video purges it',
      async: false,
    });
    requestDeletion.grantTable(table, { items: ['GetItem', 'UpdateItem'] });
    requestDeletion.grantInvoke(props.deleteVideo, ENV.DELETE_VIDEO_FUNCTION);
    requestDeletion.addEnvironment(ENV.ALLOWED_ORIGIN, origins.webOrigin);

    this.functions = Object.fromEntries([
      ['create-upload', createUpload],
      ['list-videos', listVideos],
      ['get-video', getVideo],
      ['update-video', updateVideo],
      ['request-deletion', requestDeletion],
    ]);

    this.api = new Apigatewayv2Api(this, 'http-api', {
      name: `${config.namePrefix}-api`,
      protocolType: 'HTTP',
      description: '24-Hour Video: uploads and the video list',
      corsConfiguration: {
        allowOrigins: webOrigins(origins),
        allowMethods: corsMethods(API_ROUTES),
        allowHeaders: [...API_ALLOWED_HEADERS],
        exposeHeaders: ['location'],
        allowCredentials: false,
        maxAge: 3600,
      },
    });

    this.authorizer = new Apigatewayv2Authorizer(this, 'jwt', {
      apiId: this.api.id,
      name: 'cognito',
      authorizerType: 'JWT',
      identitySources: ['$request.header.Authorization'],
      jwtConfiguration: { issuer: auth.issuer, audience: [auth.clientId] },
    });

    const routes: Record<string, Apigatewayv2Route> = {};
    for (const route of API_ROUTES) {
      const fn = this.functions[route.functionName];
      if (!fn) throw new Error(`No function ${route.functionName} for route ${routeKey(route)}.`);
      const integration = new Apigatewayv2Integration(this, `integration-${route.functionName}`, {
        apiId: this.api.id,
        integrationType: 'AWS_PROXY',
        integrationUri: fn.fn.invokeArn,
        payloadFormatVersion: '2.0',
        timeoutMilliseconds: 29000,
      });
      routes[routeKey(route)] = new Apigatewayv2Route(this, `route-${route.functionName}`, {
        apiId: this.api.id,
        routeKey: routeKey(route),
        target: `integrations/${integration.id}`,
        authorizationType: 'JWT',
        authorizerId: this.authorizer.id,
      });
      // execute-api ARNs: <api>/<stage>/<METHOD>/<path>, path parameters matched by '*'.
      const path = route.path.replace(/\{[^}]+\}/g, '*');
      fn.allowInvoke('api', 'apigateway.amazonaws.com', `${this.api.executionArn}/*/${route.method}${path}`);
    }
    this.routes = routes;

    this.accessLogs = new CloudwatchLogGroup(this, 'access-logs', {
      name: `/aws/apigateway/${config.namePrefix}-api`,
      retentionInDays: config.logRetentionDays,
      kmsKeyId: props.key.arn,
      // CloudWatch Logs checks that it may use the key when the group is created.
      dependsOn: [props.key.policyResource],
    });

    this.stage = new Apigatewayv2Stage(this, 'default-stage', {
      apiId: this.api.id,
      name: '$default',
      autoDeploy: true,
      defaultRouteSettings: {
        throttlingRateLimit: config.apiThrottle.rateLimit,
        throttlingBurstLimit: config.apiThrottle.burstLimit,
        detailedMetricsEnabled: true,
      },
      accessLogSettings: {
        destinationArn: this.accessLogs.arn,
        format: JSON.stringify(ACCESS_LOG_FORMAT),
      },
    });
    this.url = this.stage.invokeUrl;
  }
}
