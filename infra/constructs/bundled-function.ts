import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import { LambdaFunctionEventInvokeConfig } from '@cdktf/provider-aws/lib/lambda-function-event-invoke-config';
import { LambdaPermission } from '@cdktf/provider-aws/lib/lambda-permission';
import { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue';
import { AssetType, Lazy, TerraformAsset } from 'cdktf';
import { Construct } from 'constructs';
import type { EnvName } from '#shared/config';
import type { VideoIndexName } from '#shared/store/schema';
import type { StageConfig } from '../config.ts';
import { stageDirectory } from './archive.ts';
import { KMS_DECRYPT, KMS_PUT, type PipelineKey } from './encryption.ts';
import type { SecureBucket } from './media-storage.ts';
import { assumeRolePolicy, PolicyDocument, type Statement } from './policy.ts';
import type { VideoTable } from './video-table.ts';

/** The Lambda runtime of every function. */
export const RUNTIME = 'nodejs22.x';
/** The file `npm run build` writes in each function's bundle folder; the handler is `index.handler`. */
export const BUNDLE_FILE = 'index.mjs';

/** A function's bundle is not where the build puts it. */
export class MissingBundleError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'MissingBundleError';
  }
}

/** Where the stack finds bundles and caches the zips it makes of them. */
export interface BundleSource {
  /** Folder holding `<function>/index.mjs`; `dist/functions` after `npm run build`. */
  readonly bundleRoot: string;
  /** Folder for deterministic zips, reused across synths. */
  readonly assetCacheDir: string;
}

/** Props of {@link BundledFunction}. */
export interface BundledFunctionProps extends BundleSource {
  /** The folder name under `functions/`; the physical name is `<prefix>-<name>`. */
  readonly name: string;
  readonly description: string;
  readonly config: StageConfig;
  readonly accountId: string;
  /** Encrypts the function's log group (CKV_AWS_158); the key policy lets CloudWatch Logs use it. */
  readonly key: PipelineKey;
  /**
   * True for functions invoked asynchronously (S3, SNS, EventBridge): they get bounded retries, a
   * maximum event age and an on-failure destination to their own encrypted dead-letter queue.
   */
  readonly async: boolean;
  readonly memorySize?: number;
  readonly timeoutSeconds?: number;
  readonly architecture?: 'arm64' | 'x86_64';
  /** Where the dead-letter queue's depth alarm notifies. */
  readonly alarmTopicArn?: string;
}

/**
 * A Lambda from an esbuild bundle, for pipeline and API functions alike. Turns a function folder into a
 * Lambda with everything around it: the bundle as a content-hashed asset, runtime and architecture, its
 * own role, a log group with retention, X-Ray tracing, reserved concurrency and, for async triggers,
 * retries and a dead-letter queue with an alarm.
 *
 * Grants (`grantTable`, `grantRead`, ...) add the IAM statement and set the environment variable in one
 * call, with the names from `#shared/config`.
 */
export class BundledFunction extends Construct {
  readonly name: string;
  readonly functionName: string;
  readonly fn: LambdaFunction;
  readonly role: IamRole;
  readonly logGroup: CloudwatchLogGroup;
  readonly deadLetterQueue: SqsQueue | undefined;
  readonly eventInvokeConfig: LambdaFunctionEventInvokeConfig | undefined;
  readonly arn: string;
  private readonly accountId: string;
  private readonly environment: Record<string, string> = {};
  private readonly layers: string[] = [];
  private readonly policy: PolicyDocument;

  constructor(scope: Construct, id: string, props: BundledFunctionProps) {
    super(scope, id);
    const { config, name } = props;
    this.name = name;
    this.accountId = props.accountId;
    this.functionName = `${config.namePrefix}-${name}`;

    const bundleDir = join(props.bundleRoot, name);
    if (!existsSync(join(bundleDir, BUNDLE_FILE))) {
      throw new MissingBundleError(
        `No bundle for function "${name}" at ${join(bundleDir, BUNDLE_FILE)}. Run \`npm run build\` before synthesizing (\`npm run synth\` does it for you).`,
      );
    }
    const archive = stageDirectory(bundleDir, props.assetCacheDir, name);
    const asset = new TerraformAsset(this, 'bundle', {
      path: archive.path,
      type: AssetType.FILE,
      assetHash: archive.sha256Hex.slice(0, 32),
    });

    this.logGroup = new CloudwatchLogGroup(this, 'logs', {
      name: `/aws/lambda/${this.functionName}`,
      retentionInDays: config.logRetentionDays,
      kmsKeyId: props.key.arn,
      // CloudWatch Logs checks that it may use the key when the group is created.
      dependsOn: [props.key.policyResource],
    });

    this.role = new IamRole(this, 'role', {
      name: `${this.functionName}-fn`,
      assumeRolePolicy: assumeRolePolicy('lambda.amazonaws.com'),
    });
    this.policy = new PolicyDocument([
      {
        Sid: 'WriteOwnLogs',
        Effect: 'Allow',
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: [`${this.logGroup.arn}:*`],
      },
      {
        // X-Ray trace segments have no resource ARN; AWS requires "*" for these two actions.
        // https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsx-ray.html
        Sid: 'WriteTraces',
        Effect: 'Allow',
        Action: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'],
        Resource: ['*'],
      },
    ]);

    if (props.async) {
      this.deadLetterQueue = new SqsQueue(this, 'dlq', {
        name: `${this.functionName}-dlq`,
        sqsManagedSseEnabled: true,
        messageRetentionSeconds: 14 * 24 * 3600,
      });
      this.policy.add({
        Sid: 'SendFailedEvents',
        Effect: 'Allow',
        Action: ['sqs:SendMessage'],
        Resource: [this.deadLetterQueue.arn],
      });
      new CloudwatchMetricAlarm(this, 'dlq-alarm', {
        alarmName: `${this.functionName}-dlq-not-empty`,
        alarmDescription: `Events ${this.functionName} gave up on; inspect and redrive ${this.functionName}-dlq.`,
        namespace: 'AWS/SQS',
        metricName: 'ApproximateNumberOfMessagesVisible',
        dimensions: { QueueName: this.deadLetterQueue.name },
        statistic: 'Maximum',
        period: 300,
        evaluationPeriods: 1,
        threshold: 0,
        comparisonOperator: 'GreaterThanThreshold',
        treatMissingData: 'notBreaching',
        ...(props.alarmTopicArn ? { alarmActions: [props.alarmTopicArn] } : {}),
      });
    }

    const policyResource = new IamRolePolicy(this, 'policy', {
      name: 'least-privilege',
      role: this.role.id,
      policy: this.policy.toJson(),
    });

    this.fn = new LambdaFunction(this, 'function', {
      functionName: this.functionName,
      description: props.description,
      role: this.role.arn,
      runtime: RUNTIME,
      handler: 'index.handler',
      architectures: [props.architecture ?? 'arm64'],
      filename: asset.path,
      sourceCodeHash: archive.sha256Base64,
      memorySize: props.memorySize ?? 256,
      timeout: props.timeoutSeconds ?? 30,
      reservedConcurrentExecutions: config.reservedConcurrency,
      tracingConfig: { mode: 'Active' },
      loggingConfig: { logFormat: 'JSON', logGroup: this.logGroup.name },
      layers: Lazy.listValue({ produce: () => this.layers }),
      environment: {
        variables: Lazy.anyValue({
          produce: () => ({ NODE_OPTIONS: '--enable-source-maps', ...this.environment }),
        }) as unknown as Record<string, string>,
      },
      dependsOn: [this.logGroup, policyResource],
    });
    this.arn = this.fn.arn;

    if (this.deadLetterQueue) {
      this.eventInvokeConfig = new LambdaFunctionEventInvokeConfig(this, 'async', {
        functionName: this.fn.functionName,
        maximumRetryAttempts: 2,
        maximumEventAgeInSeconds: 6 * 3600,
        destinationConfig: { onFailure: { destination: this.deadLetterQueue.arn } },
      });
    }
  }

  /** Sets an environment variable; only names from `ENV` in `#shared/config`. */
  addEnvironment(name: EnvName, value: string): void {
    const existing = this.environment[name];
    if (existing !== undefined && existing !== value) {
      throw new Error(
        `${this.functionName}: ${name} is already set to a different value; grant each resource once.`,
      );
    }
    this.environment[name] = value;
  }

  /** The variables set so far (for tests and the local cloud's checks). */
  get environmentNames(): readonly string[] {
    return Object.keys(this.environment).sort();
  }

  /** Adds a statement to the function's role policy. Scope it to exact ARNs. */
  addToRolePolicy(statement: Statement): void {
    this.policy.add(statement);
  }

  addLayer(layerArn: string): void {
    this.layers.push(layerArn);
  }

  /**
   * Item calls on the video table (`GetItem`, `PutItem`, `UpdateItem` on the table's ARN), and `Query`
   * on the named indexes only: exactly the calls the function's code makes.
   */
  grantTable(table: VideoTable, access: TableAccess, options: GrantOptions = {}): void {
    const items = access.items ?? [];
    const indexes = access.query ?? [];
    if (items.length === 0 && indexes.length === 0) {
      throw new Error(`${this.functionName}: grantTable needs item actions or indexes to query.`);
    }
    if (items.length > 0) {
      this.addToRolePolicy({
        Sid: 'VideoTableItems',
        Effect: 'Allow',
        Action: items.map((action) => `dynamodb:${action}`),
        Resource: [table.arn],
      });
    }
    if (indexes.length > 0) {
      this.addToRolePolicy({
        Sid: 'QueryVideoTableIndexes',
        Effect: 'Allow',
        Action: ['dynamodb:Query'],
        Resource: indexes.map((index) => `${table.arn}/index/${index}`),
      });
    }
    if (options.env !== false) this.addEnvironment(table.envName, table.name);
  }

  /**
   * Reads the current version of the objects whose keys match `keys` (`videos/*.mp4`; `*` matches
   * any characters, `/` included), decrypting through S3 only. This is also what a GET presigned by
   * this function needs. No function reads an older version, so `s3:GetObjectVersion` is not granted.
   */
  grantRead(bucket: SecureBucket, keys: readonly string[], options: GrantOptions = {}): void {
    this.grantObjects(bucket, 'Read', ['s3:GetObject'], keys);
    this.addToRolePolicy(bucket.key.viaService('s3', KMS_DECRYPT, `Decrypt${sidOf(bucket)}`));
    if (options.env !== false) this.addEnvironment(bucket.envName, bucket.name);
  }

  /**
   * Writes objects whose keys match `keys` in one request each (PutObject, or the browser's POST of a
   * policy this function signs): S3 needs only a new data key, `kms:GenerateDataKey`, through S3.
   */
  grantPut(bucket: SecureBucket, keys: readonly string[], options: GrantOptions = {}): void {
    this.grantObjects(bucket, 'Put', ['s3:PutObject'], keys);
    this.addToRolePolicy(bucket.key.viaService('s3', KMS_PUT, `Encrypt${sidOf(bucket)}`));
    if (options.env !== false) this.addEnvironment(bucket.envName, bucket.name);
  }

  /**
   * Reads and writes the tags of the current version of objects whose keys match `keys`
   * (`visibility=public` is what CloudFront may serve). The `*VersionTagging` actions are only for
   * calls naming a `VersionId`, which no function makes.
   */
  grantTagging(bucket: SecureBucket, keys: readonly string[], options: GrantOptions = {}): void {
    this.grantObjects(bucket, 'Tag', ['s3:GetObjectTagging', 's3:PutObjectTagging'], keys);
    if (options.env !== false) this.addEnvironment(bucket.envName, bucket.name);
  }

  /**
   * Lists the current objects under `prefix` (ListObjectsV2): `s3:ListBucket` only for listings whose
   * `s3:prefix` lies under it, and no read of any object.
   */
  grantList(bucket: SecureBucket, prefix: string, options: GrantOptions = {}): void {
    this.addToRolePolicy({
      Sid: `List${sidOf(bucket)}${sidOfPrefix(prefix)}`,
      Effect: 'Allow',
      Action: ['s3:ListBucket'],
      Resource: [bucket.arn],
      Condition: { StringLike: { 's3:prefix': `${prefix}*` } },
    });
    if (options.env !== false) this.addEnvironment(bucket.envName, bucket.name);
  }

  /**
   * Deletes every version and delete marker under `prefix` (which must end in `/`, so one video's
   * prefix never matches another's): `DeleteObject`/`DeleteObjectVersion` on those objects only, and
   * `ListBucketVersions` only for listings whose `s3:prefix` lies under it.
   */
  grantDelete(bucket: SecureBucket, prefix: string): void {
    if (!/^[^*?]+\/$/.test(prefix)) {
      throw new Error(`${this.functionName}: grantDelete needs a prefix ending in "/", got "${prefix}".`);
    }
    this.addToRolePolicy({
      Sid: `Delete${sidOf(bucket)}${sidOfPrefix(prefix)}`,
      Effect: 'Allow',
      Action: ['s3:DeleteObject', 's3:DeleteObjectVersion'],
      Resource: [bucket.objectsArn(prefix)],
    });
    this.addToRolePolicy({
      Sid: `ListVersions${sidOf(bucket)}${sidOfPrefix(prefix)}`,
      Effect: 'Allow',
      Action: ['s3:ListBucketVersions'],
      Resource: [bucket.arn],
      Condition: { StringLike: { 's3:prefix': `${prefix}*` } },
    });
    this.addEnvironment(bucket.envName, bucket.name);
  }

  /** Invokes `target` (asynchronously, or any other way): `lambda:InvokeFunction` on its ARN only; `envName` gets its name. */
  grantInvoke(target: BundledFunction, envName: EnvName): void {
    this.addToRolePolicy({
      Sid: `Invoke${sidOfPrefix(target.name)}`,
      Effect: 'Allow',
      Action: ['lambda:InvokeFunction'],
      Resource: [target.arn],
    });
    this.addEnvironment(envName, target.fn.functionName);
  }

  /**
   * Lets an AWS service invoke the function, only from `sourceArn` in this account (CKV_AWS_364).
   * Returns the permission so triggers can depend on it.
   */
  allowInvoke(id: string, principal: string, sourceArn: string): LambdaPermission {
    return new LambdaPermission(this, `invoke-${id}`, {
      statementId: `invoke-${id}`,
      action: 'lambda:InvokeFunction',
      functionName: this.fn.functionName,
      principal,
      sourceArn,
      sourceAccount: this.accountId,
    });
  }

  private grantObjects(
    bucket: SecureBucket,
    verb: string,
    actions: readonly string[],
    keys: readonly string[],
  ) {
    if (keys.length === 0)
      throw new Error(`${this.functionName}: grant${verb} needs at least one key pattern.`);
    this.addToRolePolicy({
      Sid: `${verb}${sidOf(bucket)}`,
      Effect: 'Allow',
      Action: [...actions],
      Resource: keys.map((pattern) => bucket.objectArn(pattern)),
    });
  }
}

/** The DynamoDB item actions a function may be granted on the video table's items. */
export type TableItemAction = 'GetItem' | 'PutItem' | 'UpdateItem';

/** What {@link BundledFunction.grantTable} grants: item actions, and the indexes the function queries. */
export interface TableAccess {
  readonly items?: readonly TableItemAction[];
  readonly query?: readonly VideoIndexName[];
}

/** Options every grant takes. */
export interface GrantOptions {
  /**
   * False when the function reaches the resource without knowing its name (MediaConvert's Probe reads
   * the upload by the URL the event gave), so no environment variable is set for it.
   */
  readonly env?: boolean;
}

function sidOf(bucket: SecureBucket): string {
  return sidOfPrefix(bucket.node.id);
}

function sidOfPrefix(text: string): string {
  return text
    .replace(/(^|[-/])([a-z])/g, (_m, _d, c: string) => c.toUpperCase())
    .replace(/[^A-Za-z0-9]/g, '');
}
