import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { LOCAL_CREDENTIALS } from '#local/emulators/common';
import { FFMPEG_PATH, FFPROBE_PATH } from '#local/media';
import { ENV } from '#shared/config';
import type { FunctionDeclaration, LambdaResources } from './from-stack.ts';
import type { FunctionSpec } from './types.ts';
import { extractZip } from './unzip.ts';

/** Endpoints the functions' SDK clients are pointed at. */
export interface FunctionEndpoints {
  readonly s3: string;
  readonly dynamodb: string;
  readonly lambda?: string;
  readonly sqs?: string;
  readonly elasticTranscoder?: string;
  readonly mediaconvert?: string;
}

/**
 * Deploys the stack's functions locally: each package unpacked as `LAMBDA_TASK_ROOT`, its layers in
 * place of `/opt`, its environment plus the local endpoints and credentials; resolves to what the
 * runner needs of each.
 */
export async function deployFunctions(
  resources: Pick<LambdaResources, 'functions' | 'layers'>,
  context: {
    dataDir: string;
    endpoints: FunctionEndpoints;
    region: string;
    /** Values that replace the stack's for the functions that declare the variable (stage overrides). */
    overrides?: Readonly<Record<string, string>>;
  },
): Promise<FunctionSpec[]> {
  const layerDirs = new Map<string, string>();
  for (const layer of resources.layers) {
    const dir = join(context.dataDir, 'layers', layer.name);
    await extractZip(await readFile(layer.packagePath), dir);
    layerDirs.set(layer.arn, dir);
  }
  const specs: FunctionSpec[] = [];
  for (const fn of resources.functions) {
    const taskRoot = join(context.dataDir, 'functions', fn.name);
    await extractZip(await readFile(fn.packagePath), taskRoot);
    const [file = 'index', exportName = 'handler'] = fn.handler.split(/\.(?=[^.]+$)/);
    const modulePath = ['.mjs', '.js', '.cjs']
      .map((ext) => join(taskRoot, `${file}${ext}`))
      .find((p) => existsSync(p));
    if (!modulePath)
      throw new Error(`${fn.address}: the package has no ${file}.mjs/.js for handler ${fn.handler}.`);
    // Lambda unpacks layers into /opt; the local layers live under the data dir instead.
    const layers = fn.layers.map((l) => layerDirs.get(l)).filter((d): d is string => !!d);
    specs.push({
      name: fn.name,
      arn: fn.arn,
      modulePath,
      exportName,
      timeoutMs: fn.timeoutSeconds * 1000,
      maxRetries: fn.maxRetries,
      ...(fn.onFailure && { onFailure: fn.onFailure }),
      maxConcurrency: fn.maxConcurrency,
      memoryMb: fn.memorySize,
      architecture: fn.architecture,
      env: environmentOf(fn, { ...context, taskRoot, layers }),
    });
  }
  return specs;
}

function environmentOf(
  fn: FunctionDeclaration,
  context: {
    endpoints: FunctionEndpoints;
    region: string;
    taskRoot: string;
    layers: readonly string[];
    overrides?: Readonly<Record<string, string>>;
  },
): Record<string, string> {
  const { endpoints, region, taskRoot } = context;
  const env: Record<string, string> = {};
  for (const [key, text] of Object.entries(fn.environment)) {
    env[key] =
      context.overrides?.[key] ?? (text.startsWith('/opt/') ? localOptPath(text, context.layers) : text);
  }
  return {
    ...env,
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: taskRoot,
    TZ: ':UTC',
    LAMBDA_TASK_ROOT: taskRoot,
    AWS_EXECUTION_ENV: `AWS_Lambda_${fn.runtime}`,
    AWS_LAMBDA_FUNCTION_NAME: fn.name,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memorySize),
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${fn.name}`,
    AWS_REGION: region,
    AWS_DEFAULT_REGION: region,
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    // The SDK puts `app/<name>` in its user agent: the usage meter counts requests per function.
    AWS_SDK_UA_APP_ID: fn.name,
    AWS_ENDPOINT_URL_S3: endpoints.s3,
    AWS_ENDPOINT_URL_DYNAMODB: endpoints.dynamodb,
    ...(endpoints.lambda && { AWS_ENDPOINT_URL_LAMBDA: endpoints.lambda }),
    ...(endpoints.sqs && { AWS_ENDPOINT_URL_SQS: endpoints.sqs }),
    ...(endpoints.elasticTranscoder && { AWS_ENDPOINT_URL_ELASTIC_TRANSCODER: endpoints.elasticTranscoder }),
    ...(endpoints.mediaconvert && {
      AWS_ENDPOINT_URL_MEDIACONVERT: endpoints.mediaconvert,
      ...(env[ENV.MEDIACONVERT_ENDPOINT] !== undefined && {
        [ENV.MEDIACONVERT_ENDPOINT]: endpoints.mediaconvert,
      }),
    }),
    [ENV.S3_FORCE_PATH_STYLE]: 'true',
  };
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
