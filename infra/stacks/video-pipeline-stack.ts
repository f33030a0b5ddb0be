import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { S3BucketNotification } from '@cdktf/provider-aws/lib/s3-bucket-notification';
import { Aspects, LocalBackend, S3Backend, TerraformOutput, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { ENV } from '#shared/config';
import { ACCEPTED_EXTENSIONS, OUTPUT_ROOT, RENDITION_SUFFIX } from '#shared/video';
import { PolicyChecks } from '../aspects/policy-checks.ts';
import type { StageConfig, WebOrigins } from '../config.ts';
import { VideoApi } from '../constructs/api.ts';
import { UserAuth } from '../constructs/auth.ts';
import {
  BundledFunction,
  type BundledFunctionProps,
  type BundleSource,
} from '../constructs/bundled-function.ts';
import { Delivery } from '../constructs/delivery.ts';
import { KMS_ENCRYPT, PipelineKey } from '../constructs/encryption.ts';
import { FunctionEventRule } from '../constructs/event-rule.ts';
import { EncryptedTopic } from '../constructs/events.ts';
import { FfprobeLayer } from '../constructs/ffprobe-layer.ts';
import { KEYS, MediaStorage } from '../constructs/media-storage.ts';
import { type TranscoderConstruct, transcoderBackendFor } from '../constructs/transcoder/index.ts';
import { VideoTable } from '../constructs/video-table.ts';
import { appContentSources, WebHosting } from '../constructs/web-hosting.ts';

/** The functions of the pipeline proper (the API's functions are added by the API construct). */
export const PIPELINE_FUNCTIONS = [
  'transcode-video',
  'set-permissions',
  'extract-metadata',
  'update-video-list',
  'transcode-status',
  'delete-video',
  'reconcile-videos',
] as const;

/** How often the reconciler runs: often enough that a stuck video moves on within minutes of its bound. */
export const RECONCILE_SCHEDULE = 'rate(5 minutes)';

/**
 * The upload key suffixes S3 notifies `transcode-video` of directly: suffix filters are case-sensitive,
 * so both spellings a camera or OS produces. The EventBridge rule takes every other key, so the two
 * filters partition all uploads and none is silently ignored.
 */
export const UPLOAD_NOTIFICATION_SUFFIXES: readonly string[] = ACCEPTED_EXTENSIONS.flatMap((ext) => [
  ext,
  ext.toUpperCase(),
]);

/** One of {@link PIPELINE_FUNCTIONS}. */
export type PipelineFunctionName = (typeof PIPELINE_FUNCTIONS)[number];

/** Options of {@link VideoPipelineStack.addFunction}: everything but what the stack already knows. */
export type FunctionOptions = Omit<
  BundledFunctionProps,
  'name' | 'config' | 'accountId' | 'bundleRoot' | 'assetCacheDir' | 'alarmTopicArn' | 'key'
>;

/** Props of {@link VideoPipelineStack}. */
export interface VideoPipelineStackProps {
  readonly config: StageConfig;
  readonly bundles: BundleSource;
  /** The ffprobe binary for the layer; defaults to `@ffprobe-installer/linux-x64` (tests pass a stub). */
  readonly ffprobe?: { readonly binary: string; readonly version: string };
  /** The built web app (`web/dist`), for the stages that host it (tests pass a stub). */
  readonly webBuild: string;
}

/**
 * The whole of 24-Hour Video for one environment: storage, the video table, the transcoder the config
 * chose, the SNS fan-out, the pipeline functions and delivery. Constructs are wired by passing
 * resources as props; the public fields are what other constructs (the HTTP API) build on.
 */
export class VideoPipelineStack extends TerraformStack {
  readonly config: StageConfig;
  readonly accountId: string;
  readonly key: PipelineKey;
  readonly storage: MediaStorage;
  readonly table: VideoTable;
  readonly transcoder: TranscoderConstruct;
  readonly transcodedTopic: EncryptedTopic;
  readonly alarmTopic: EncryptedTopic;
  readonly delivery: Delivery;
  /** Routes every upload the S3 suffix filter leaves out (`notes.txt`, `clip.Mp4`) to `transcode-video`. */
  readonly uploadsRule: FunctionEventRule;
  /** Runs `reconcile-videos` on {@link RECONCILE_SCHEDULE}. */
  readonly reconcileSchedule: FunctionEventRule;
  readonly ffprobeLayer: FfprobeLayer;
  /** The pipeline's functions; the API's are {@link VideoApi.functions}, and {@link allFunctions} has both. */
  readonly pipelineFunctions: Readonly<Record<PipelineFunctionName, BundledFunction>>;
  readonly auth: UserAuth;
  readonly api: VideoApi;
  /** The deployed web app; undefined where the local cloud serves it (`web.hosting: 'local'`). */
  readonly web: WebHosting | undefined;
  /** The app's origin and the dev servers', which sign-in and CORS allow. */
  readonly webOrigins: WebOrigins;
  private readonly bundles: BundleSource;
  private readonly created: BundledFunction[] = [];

  constructor(scope: Construct, id: string, props: VideoPipelineStackProps) {
    super(scope, id);
    const { config } = props;
    this.config = config;
    this.bundles = props.bundles;

    new AwsProvider(this, 'aws', {
      region: config.region,
      defaultTags: [{ tags: { project: '24-hour-video', environment: config.stage, 'managed-by': 'cdktf' } }],
    });
    if (config.remoteState) {
      const backend = new S3Backend(this, { ...config.remoteState, encrypt: true });
      // S3-native state locking (Terraform >= 1.10); cdktf 0.21 predates the typed option.
      backend.addOverride('use_lockfile', true);
    } else {
      // Relative to cdktf.out/stacks/<stage>: the repository root, and the same on every machine (cdktf's
      // default is an absolute path, which would differ in every checkout and in the reviewed JSON).
      new LocalBackend(this, { path: `../../../terraform.${id}.tfstate` });
    }
    this.accountId = new DataAwsCallerIdentity(this, 'current').accountId;

    this.key = new PipelineKey(this, 'key', { config, accountId: this.accountId });
    this.storage = new MediaStorage(this, 'media', { config, key: this.key });
    this.table = new VideoTable(this, 'videos', { config, key: this.key });
    this.transcoder = transcoderBackendFor(this, 'transcoder', {
      config,
      accountId: this.accountId,
      storage: this.storage,
      key: this.key,
    });
    this.transcodedTopic = new EncryptedTopic(this, 'transcoded-topic', {
      topicName: `${config.namePrefix}-transcoded`,
      key: this.key,
      accountId: this.accountId,
    });
    this.alarmTopic = new EncryptedTopic(this, 'alarm-topic', {
      topicName: `${config.namePrefix}-alarms`,
      key: this.key,
      accountId: this.accountId,
    });
    // Services publishing to the encrypted topics encrypt with the key themselves.
    this.key.allowService('S3PublishesEvents', 's3.amazonaws.com', KMS_ENCRYPT, {
      StringEquals: { 'aws:SourceAccount': this.accountId },
    });
    this.key.allowService('CloudWatchPublishesAlarms', 'cloudwatch.amazonaws.com', KMS_ENCRYPT, {
      StringEquals: { 'aws:SourceAccount': this.accountId },
    });
    this.delivery = new Delivery(this, 'delivery', {
      config,
      bucket: this.storage.transcoded,
      customDomain: config.mediaDomain,
    });
    this.ffprobeLayer = new FfprobeLayer(this, 'ffprobe', {
      config,
      assetCacheDir: props.bundles.assetCacheDir,
      ...(props.ffprobe ? { ffprobe: props.ffprobe } : {}),
    });

    this.pipelineFunctions = this.createPipelineFunctions();
    // The app's distribution first: its domain is the origin the upload CORS, Cognito and the API name.
    const { web, webOrigin } = this.hostWebApp(props.webBuild);
    this.web = web;
    this.webOrigins = { webOrigin, devWebOrigins: config.devWebOrigins };
    this.storage.allowUploadsFrom(this.webOrigins);
    this.auth = new UserAuth(this, 'auth', { config, origins: this.webOrigins });
    this.api = new VideoApi(this, 'api', {
      config,
      auth: this.auth,
      table: this.table,
      storage: this.storage,
      delivery: this.delivery,
      key: this.key,
      origins: this.webOrigins,
      addFunction: (name, options) => this.addFunction(name, options),
      deleteVideo: this.pipelineFunctions['delete-video'],
    });
    // The $default stage serves at the API's endpoint, which has no trailing slash (invoke_url has one).
    this.web?.publishConfig({ apiUrl: this.api.api.apiEndpoint, auth: this.auth });
    this.uploadsRule = this.connectTriggers();
    this.reconcileSchedule = this.scheduleReconciler();
    this.createOutputs();
    Aspects.of(this).add(new PolicyChecks());
  }

  /**
   * The function factory: a {@link BundledFunction} with this stack's config, bundles and alarm topic.
   * The HTTP API's functions are created through it too.
   */
  addFunction(name: string, options: FunctionOptions): BundledFunction {
    const fn = new BundledFunction(this, `fn-${name}`, {
      ...options,
      name,
      config: this.config,
      accountId: this.accountId,
      bundleRoot: this.bundles.bundleRoot,
      assetCacheDir: this.bundles.assetCacheDir,
      alarmTopicArn: this.alarmTopic.arn,
      key: this.key,
    });
    this.created.push(fn);
    return fn;
  }

  /** Every function of the stack, pipeline and API alike. */
  get allFunctions(): readonly BundledFunction[] {
    return this.created;
  }

  private hostWebApp(buildDir: string): { web: WebHosting | undefined; webOrigin: string } {
    const { config } = this;
    if (config.web.hosting === 'local') return { web: undefined, webOrigin: config.web.origin };
    const web = new WebHosting(this, 'web', {
      config,
      customDomain: config.web.customDomain,
      key: this.key,
      buildDir,
      contentSources: appContentSources({ config, storage: this.storage, delivery: this.delivery }),
    });
    return { web, webOrigin: web.origin };
  }

  private createPipelineFunctions(): Record<PipelineFunctionName, BundledFunction> {
    const { storage, table, transcoder } = this;
    // The one function that may delete objects, and only under this project's prefixes.
    const deleteVideo = this.addFunction('delete-video', {
      description: 'Purges a deleted video: cancels its job, removes every version of its objects',
      async: true,
      // Room to wait for a job that can no longer be canceled (Elastic Transcoder) before retrying.
      timeoutSeconds: 60,
    });
    // Reads the tombstone, then marks it purged.
    deleteVideo.grantTable(table, { items: ['GetItem', 'UpdateItem'] });
    deleteVideo.grantDelete(storage.uploads, 'uploads/');
    deleteVideo.grantDelete(storage.transcoded, OUTPUT_ROOT);
    transcoder.grantCancelJob(deleteVideo);

    const transcodeVideo = this.addFunction('transcode-video', {
      description: 'Claims each upload and starts its one transcoding job',
      async: true,
    });
    // Conditional updates (claim, release, job id, rejection, failure); reads only to tell a deletion.
    transcodeVideo.grantTable(table, { items: ['GetItem', 'UpdateItem'] });
    transcoder.grantStartJob(transcodeVideo);
    // A job started for a video deleted meanwhile is canceled at once, and the video swept again.
    transcoder.grantCancelJob(transcodeVideo);
    transcodeVideo.grantInvoke(deleteVideo, ENV.DELETE_VIDEO_FUNCTION);
    transcodeVideo.addEnvironment(ENV.MAX_UPLOAD_BYTES, String(this.config.maxUploadBytes));
    transcodeVideo.addEnvironment(ENV.RENDITION_LADDER, this.config.renditionLadder);

    const setPermissions = this.addFunction('set-permissions', {
      description:
        "Tags each rendition as its video's visibility says, so CloudFront serves only public ones",
      async: true,
    });
    setPermissions.grantTable(table, { items: ['GetItem', 'UpdateItem'] });
    setPermissions.grantTagging(storage.transcoded, [KEYS.renditions]);

    const extractMetadata = this.addFunction('extract-metadata', {
      description: 'Probes each rendition with ffprobe and records its metadata',
      async: true,
      // The layer's ffprobe is a static x86_64 build.
      architecture: 'x86_64',
      memorySize: 1024,
      timeoutSeconds: 120,
    });
    extractMetadata.grantTable(table, { items: ['GetItem', 'UpdateItem'] });
    // ffprobe reads the rendition through a GET this function presigns; it writes metadata.json only.
    extractMetadata.grantRead(storage.transcoded, [KEYS.renditions]);
    extractMetadata.grantPut(storage.transcoded, [KEYS.metadata]);
    extractMetadata.grantInvoke(deleteVideo, ENV.DELETE_VIDEO_FUNCTION);
    this.ffprobeLayer.attachTo(extractMetadata);

    const updateVideoList = this.addFunction('update-video-list', {
      description: 'Records each rendition in the video list',
      async: true,
    });
    updateVideoList.grantTable(table, { items: ['UpdateItem'] });

    const transcodeStatus = this.addFunction('transcode-status', {
      description: 'Records job progress, completion and errors from the transcoder',
      async: true,
    });
    transcodeStatus.grantTable(table, { items: ['GetItem', 'UpdateItem'] });
    // The poster frame is not .mp4, so no S3 trigger reaches set-permissions: transcode-status tags it.
    // A FAILED video's renditions are untagged here too, so nothing a failed job wrote is served.
    transcodeStatus.grantTagging(storage.transcoded, [KEYS.poster, KEYS.renditions]);
    transcodeStatus.grantInvoke(deleteVideo, ENV.DELETE_VIDEO_FUNCTION);
    // A job the transcoder failed for its own reasons is replaced by transcode-video, which owns the claim.
    transcodeStatus.grantInvoke(transcodeVideo, ENV.TRANSCODE_VIDEO_FUNCTION);
    transcoder.deliverJobStatesTo(transcodeStatus);

    const reconcileVideos = this.addFunction('reconcile-videos', {
      description: 'Brings every video stuck past its bound to READY, FAILED, REJECTED or a new job',
      async: true,
      timeoutSeconds: 120,
    });
    // The stale videos of a status (byStatus), then the same guarded updates as transcode-status.
    reconcileVideos.grantTable(table, { items: ['GetItem', 'UpdateItem'], query: ['byStatus'] });
    // Whether an expired ticket's file arrived: a listing of its upload prefix, no object read.
    reconcileVideos.grantList(storage.uploads, 'uploads/');
    reconcileVideos.grantTagging(storage.transcoded, [KEYS.poster, KEYS.renditions]);
    transcoder.grantReadJob(reconcileVideos);
    reconcileVideos.grantInvoke(transcodeVideo, ENV.TRANSCODE_VIDEO_FUNCTION);
    reconcileVideos.grantInvoke(deleteVideo, ENV.DELETE_VIDEO_FUNCTION);

    return {
      'transcode-video': transcodeVideo,
      'set-permissions': setPermissions,
      'extract-metadata': extractMetadata,
      'update-video-list': updateVideoList,
      'transcode-status': transcodeStatus,
      'delete-video': deleteVideo,
      'reconcile-videos': reconcileVideos,
    };
  }

  private connectTriggers(): FunctionEventRule {
    const { storage, transcodedTopic, pipelineFunctions: functions } = this;
    const transcodeVideo = functions['transcode-video'];
    const uploadPermission = transcodeVideo.allowInvoke(
      's3-uploads',
      's3.amazonaws.com',
      storage.uploads.arn,
    );
    const suffixes = UPLOAD_NOTIFICATION_SUFFIXES;
    new S3BucketNotification(this, 'uploads-notification', {
      bucket: storage.uploads.bucket.id,
      lambdaFunction: suffixes.map((suffix) => ({
        id: `transcode${suffix.replace('.', '-')}`,
        lambdaFunctionArn: transcodeVideo.arn,
        events: ['s3:ObjectCreated:*'],
        filterSuffix: suffix,
      })),
      // Every event also goes to EventBridge, where the rule below picks the keys the suffixes miss.
      eventbridge: true,
      dependsOn: [uploadPermission],
    });
    // The exact complement of the suffix filters above, so a wrong type (notes.txt, clip.Mp4) still
    // reaches transcode-video and becomes REJECTED with a reason, instead of sitting unseen in the bucket.
    const uploadsRule = new FunctionEventRule(this, 'uploads-other-types', {
      name: `${this.config.namePrefix}-uploads-other-types`,
      description: 'Uploads the bucket notification does not send to transcode-video, so it rejects them',
      pattern: {
        source: ['aws.s3'],
        'detail-type': ['Object Created'],
        detail: {
          bucket: { name: [storage.uploads.name] },
          object: { key: [{ 'anything-but': { suffix: [...suffixes] } }] },
        },
      },
    });
    uploadsRule.deliverTo(transcodeVideo, {
      id: 'uploads-other-types-target',
      permissionId: 'eventbridge-uploads',
    });

    const topicPolicy = transcodedTopic.allowServicePublish('s3.amazonaws.com', storage.transcoded.arn);
    // Only renditions: metadata.json and the poster land in the same prefix and must not re-trigger.
    new S3BucketNotification(this, 'transcoded-notification', {
      bucket: storage.transcoded.bucket.id,
      topic: [
        {
          id: 'renditions',
          topicArn: transcodedTopic.arn,
          events: ['s3:ObjectCreated:*'],
          filterPrefix: OUTPUT_ROOT,
          filterSuffix: RENDITION_SUFFIX,
        },
      ],
      // S3 validates the destination by publishing a test message, which it must encrypt with the key:
      // both the topic policy and the key policy's S3 statement have to exist first.
      dependsOn: [topicPolicy, this.key.policyResource],
    });
    transcodedTopic.subscribe(functions['set-permissions']);
    transcodedTopic.subscribe(functions['extract-metadata']);
    transcodedTopic.subscribe(functions['update-video-list']);
    return uploadsRule;
  }

  private scheduleReconciler(): FunctionEventRule {
    const rule = new FunctionEventRule(this, 'reconcile-schedule', {
      name: `${this.config.namePrefix}-reconcile-videos`,
      description: 'Runs reconcile-videos, which moves on every video stuck past its bound',
      schedule: RECONCILE_SCHEDULE,
    });
    rule.deliverTo(this.pipelineFunctions['reconcile-videos'], {
      id: 'reconcile-schedule-target',
      permissionId: 'eventbridge-schedule',
    });
    return rule;
  }

  private createOutputs(): void {
    new TerraformOutput(this, 'upload_bucket', { value: this.storage.uploads.name });
    new TerraformOutput(this, 'transcoded_bucket', { value: this.storage.transcoded.name });
    new TerraformOutput(this, 'video_table', { value: this.table.name });
    new TerraformOutput(this, 'transcoded_topic_arn', { value: this.transcodedTopic.arn });
    new TerraformOutput(this, 'alarm_topic_arn', { value: this.alarmTopic.arn });
    new TerraformOutput(this, 'cdn_domain', { value: this.delivery.domainName });
    if (this.config.mediaDomain) {
      new TerraformOutput(this, 'cdn_distribution_domain', {
        description: 'The CNAME (or Route 53 alias) target of the custom media domain',
        value: this.delivery.distributionDomainName,
      });
    }
    new TerraformOutput(this, 'api_url', { value: this.api.url });
    new TerraformOutput(this, 'cognito_user_pool_id', { value: this.auth.userPool.id });
    new TerraformOutput(this, 'cognito_client_id', { value: this.auth.clientId });
    new TerraformOutput(this, 'cognito_issuer', { value: this.auth.issuer });
    new TerraformOutput(this, 'cognito_hosted_ui', { value: this.auth.hostedUiUrl });
    new TerraformOutput(this, 'cognito_idp_redirect_uri', {
      description: 'The redirect URI to register at an external identity provider (Google, Apple, ...)',
      value: this.auth.idpResponseUrl,
    });
    new TerraformOutput(this, 'web_url', {
      description: 'Where the web app runs: open it, or register it wherever its origin is needed',
      value: this.webOrigins.webOrigin,
    });
    if (this.web) {
      new TerraformOutput(this, 'web_bucket', { value: this.web.bucket.name });
      new TerraformOutput(this, 'web_distribution_id', { value: this.web.distribution.id });
      new TerraformOutput(this, 'web_distribution_domain', {
        description: 'The CNAME (or Route 53 alias) target of a custom web domain',
        value: this.web.domainName,
      });
    }
    new TerraformOutput(this, 'transcoder_backend', { value: this.transcoder.backend });
  }
}
