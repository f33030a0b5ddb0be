import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, isAbsolute, join, resolve } from 'node:path';
import { ENV } from '#shared/config';
import { LOCAL_CREDENTIALS } from '../emulators/s3.ts';
import { FFMPEG_PATH, FFPROBE_PATH } from '../media/ffmpeg.ts';
import type { StackResource, SynthesizedStack } from '../stack.ts';
import type { LambdaRunner } from './runner.ts';
import { extractZip } from './unzip.ts';

type Json = Record<string, unknown>;

const asList = (value: unknown): Json[] =>
  Array.isArray(value) ? (value as Json[]) : value ? [value as Json] : [];

/** Endpoints the functions' SDK clients are pointed at. */
export interface FunctionEndpoints {
  readonly s3: string;
  readonly dynamodb: string;
  readonly lambda?: string;
  readonly sqs?: string;
  readonly elasticTranscoder?: string;
  readonly mediaconvert?: string;
}

/** The deployment package of a function or layer: its zip, relative to the stack directory. */
function packagePath(stack: SynthesizedStack, resource: StackResource): string {
  const filename = stack.resolveString(resource.config.filename, `${resource.address}.filename`);
  return isAbsolute(filename) ? filename : resolve(stack.directory, filename);
}

/**
 * Registers every `aws_lambda_function` of the stack with the runner: its package unpacked as
 * `LAMBDA_TASK_ROOT`, its layers in place of `/opt`, its environment (tokens resolved) plus the
 * local endpoints and credentials, its timeout, and its async invoke config (retries, on-failure).
 */
export async function registerFunctions(
  stack: SynthesizedStack,
  runner: LambdaRunner,
  context: {
    dataDir: string;
    endpoints: FunctionEndpoints;
    region: string;
    /** Values that replace the stack's for the functions that declare the variable (stage overrides). */
    overrides?: Readonly<Record<string, string>>;
  },
): Promise<void> {
  const invokeConfigs = stack
    .resources('aws_lambda_function_event_invoke_config')
    .map((c) => stack.resolve(c.config));
  const layerDirs = new Map<string, string>();
  for (const layer of stack.resources('aws_lambda_layer_version')) {
    const dir = join(context.dataDir, 'layers', layer.name);
    await extractZip(await readFile(packagePath(stack, layer)), dir);
    layerDirs.set(stack.attribute(layer.address, 'arn') as string, dir);
  }

  for (const fn of stack.resources('aws_lambda_function')) {
    const config = stack.resolve(fn.config);
    const name = stack.attribute(fn.address, 'function_name') as string;
    const arn = stack.attribute(fn.address, 'arn') as string;
    const taskRoot = join(context.dataDir, 'functions', name);
    await extractZip(await readFile(packagePath(stack, fn)), taskRoot);
    const [file = 'index', exportName = 'handler'] = String(config.handler ?? 'index.handler').split(
      /\.(?=[^.]+$)/,
    );
    const modulePath = ['.mjs', '.js', '.cjs']
      .map((ext) => join(taskRoot, `${file}${ext}`))
      .find((p) => existsSync(p));
    if (!modulePath)
      throw new Error(
        `${fn.address}: the package has no ${file}.mjs/.js for handler ${String(config.handler)}.`,
      );

    // Lambda unpacks layers into /opt; the local layers live under the data dir instead.
    const layers = (asList(config.layers) as unknown as string[])
      .map((l) => layerDirs.get(l))
      .filter((d): d is string => !!d);
    const declared = (asList(config.environment)[0]?.variables ?? {}) as Record<string, unknown>;
    const env: Record<string, string> = {};
    for (const [key, value] of Object.entries(declared)) {
      const text = stack.resolveString(value, `${fn.address} environment variable ${key}`);
      env[key] = text.startsWith('/opt/') ? localOptPath(text, layers) : text;
      const override = context.overrides?.[key];
      if (override !== undefined) env[key] = override;
    }
    const invokeConfig = invokeConfigs.find((c) => c.function_name === name || c.function_name === arn);
    const onFailure = asList(asList(invokeConfig?.destination_config)[0]?.on_failure)[0]?.destination;
    runner.register({
      name,
      arn,
      modulePath,
      exportName,
      timeoutMs: Number(config.timeout ?? 3) * 1000,
      maxRetries:
        invokeConfig?.maximum_retry_attempts !== undefined ? Number(invokeConfig.maximum_retry_attempts) : 2,
      ...(typeof onFailure === 'string' && { onFailure }),
      maxConcurrency: Math.max(1, Math.min(3, Number(config.reserved_concurrent_executions ?? 3))),
      memoryMb: Number(config.memory_size ?? 128),
      architecture: String(asList(config.architectures)[0] ?? 'x86_64'),
      env: {
        ...env,
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        HOME: taskRoot,
        TZ: ':UTC',
        LAMBDA_TASK_ROOT: taskRoot,
        AWS_EXECUTION_ENV: `AWS_Lambda_${String(config.runtime ?? 'nodejs22.x')}`,
        AWS_LAMBDA_FUNCTION_NAME: name,
        AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(config.memory_size ?? 128),
        AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
        AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${name}`,
        AWS_REGION: context.region,
        AWS_DEFAULT_REGION: context.region,
        AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
        // The SDK puts `app/<name>` in its user agent: the usage meter counts requests per function.
        AWS_SDK_UA_APP_ID: name,
        AWS_ENDPOINT_URL_S3: context.endpoints.s3,
        AWS_ENDPOINT_URL_DYNAMODB: context.endpoints.dynamodb,
        ...(context.endpoints.lambda && { AWS_ENDPOINT_URL_LAMBDA: context.endpoints.lambda }),
        ...(context.endpoints.sqs && { AWS_ENDPOINT_URL_SQS: context.endpoints.sqs }),
        ...(context.endpoints.elasticTranscoder && {
          AWS_ENDPOINT_URL_ELASTIC_TRANSCODER: context.endpoints.elasticTranscoder,
        }),
        ...(context.endpoints.mediaconvert && {
          AWS_ENDPOINT_URL_MEDIACONVERT: context.endpoints.mediaconvert,
          ...(env[ENV.MEDIACONVERT_ENDPOINT] !== undefined && {
            [ENV.MEDIACONVERT_ENDPOINT]: context.endpoints.mediaconvert,
          }),
        }),
        [ENV.S3_FORCE_PATH_STYLE]: 'true',
      },
    });
  }
}

function localOptPath(path: string, layerDirs: readonly string[]): string {
  const relative = path.slice('/opt/'.length);
  const inLayer = layerDirs.map((dir) => join(dir, relative)).find((p) => existsSync(p));
  if (inLayer) return inLayer;
  // A layer built for another architecture may not run here; the packaged binaries do.
  if (basename(path) === 'ffprobe') return FFPROBE_PATH;
  if (basename(path) === 'ffmpeg') return FFMPEG_PATH;
  return path;
}
