import { isAbsolute, resolve } from 'node:path';
import { asList } from '#local/emulators/common';
import type { StackResource, SynthesizedStack } from '#local/synthesized-stack';

/** One `aws_lambda_function` of the stack with its `aws_lambda_function_event_invoke_config`, tokens resolved. */
export interface FunctionDeclaration {
  readonly address: string;
  readonly name: string;
  readonly arn: string;
  /** The deployment package (zip), absolute. */
  readonly packagePath: string;
  /** `file.export`, e.g. `index.handler`. */
  readonly handler: string;
  /** ARNs of its layers, in order. */
  readonly layers: readonly string[];
  readonly environment: Readonly<Record<string, string>>;
  readonly runtime: string;
  readonly memorySize: number;
  /** `x86_64` or `arm64` (the first of `architectures`). */
  readonly architecture: string;
  readonly timeoutSeconds: number;
  /** Async invocations retried after an error (Lambda's default is 2). */
  readonly maxRetries: number;
  /** The on-failure destination ARN, if any. */
  readonly onFailure?: string;
  /** Containers that may run at once: its reserved concurrency, 1 to 3 locally. */
  readonly maxConcurrency: number;
}

/** One `aws_lambda_layer_version`. */
export interface LayerDeclaration {
  readonly name: string;
  readonly arn: string;
  readonly packagePath: string;
}

/** One `aws_lambda_permission` of the stack, resolved against the local resources. */
export interface InvokePermission {
  readonly functionName: string;
  readonly principal: string;
  readonly sourceArn: string | undefined;
}

/** The Lambda resources of a synthesized stack, as {@link startLambda} takes them. */
export interface LambdaResources {
  readonly functions: readonly FunctionDeclaration[];
  readonly layers: readonly LayerDeclaration[];
  readonly permissions: readonly InvokePermission[];
}

/** The deployment package of a function or layer: its zip, relative to the stack directory. */
function packagePath(stack: SynthesizedStack, resource: StackResource): string {
  const filename = stack.resolveString(resource.config.filename, `${resource.address}.filename`);
  return isAbsolute(filename) ? filename : resolve(stack.directory, filename);
}

/**
 * Reads the stack's functions (package, handler, layers, environment, timeout, memory, reserved
 * concurrency), their async invoke config (retries, on-failure destination), its layers and the
 * invoke permissions it grants.
 */
export function lambdaFromStack(stack: SynthesizedStack): LambdaResources {
  const invokeConfigs = stack
    .resources('aws_lambda_function_event_invoke_config')
    .map((c) => stack.resolve(c.config));
  const functions = stack.resources('aws_lambda_function').map((fn): FunctionDeclaration => {
    const config = stack.resolve(fn.config);
    const name = stack.attribute(fn.address, 'function_name') as string;
    const arn = stack.attribute(fn.address, 'arn') as string;
    const declared = (asList(config.environment)[0]?.variables ?? {}) as Record<string, unknown>;
    const environment: Record<string, string> = {};
    for (const [key, value] of Object.entries(declared)) {
      environment[key] = stack.resolveString(value, `${fn.address} environment variable ${key}`);
    }
    const invokeConfig = invokeConfigs.find((c) => c.function_name === name || c.function_name === arn);
    const onFailure = asList(asList(invokeConfig?.destination_config)[0]?.on_failure)[0]?.destination;
    return {
      address: fn.address,
      name,
      arn,
      packagePath: packagePath(stack, fn),
      handler: String(config.handler ?? 'index.handler'),
      layers: asList(config.layers) as unknown as string[],
      environment,
      runtime: String(config.runtime ?? 'nodejs22.x'),
      memorySize: Number(config.memory_size ?? 128),
      architecture: String(asList(config.architectures)[0] ?? 'x86_64'),
      timeoutSeconds: Number(config.timeout ?? 3),
      maxRetries:
        invokeConfig?.maximum_retry_attempts !== undefined ? Number(invokeConfig.maximum_retry_attempts) : 2,
      ...(typeof onFailure === 'string' && { onFailure }),
      maxConcurrency: Math.max(1, Math.min(3, Number(config.reserved_concurrent_executions ?? 3))),
    };
  });
  const layers = stack.resources('aws_lambda_layer_version').map((layer) => ({
    name: layer.name,
    arn: stack.attribute(layer.address, 'arn') as string,
    packagePath: packagePath(stack, layer),
  }));
  return { functions, layers, permissions: readInvokePermissions(stack) };
}

/**
 * The invoke permissions the stack grants to the services whose events the local cloud delivers
 * (S3, SNS, EventBridge). Like AWS, the local cloud then refuses an event whose source has none, so a
 * dropped `aws_lambda_permission` breaks the local pipeline as it would break the deployed one.
 */
export function readInvokePermissions(stack: SynthesizedStack): InvokePermission[] {
  return stack.resources('aws_lambda_permission').flatMap((permission) => {
    const config = stack.resolve(permission.config) as Record<string, unknown>;
    if (config.action !== 'lambda:InvokeFunction' || typeof config.principal !== 'string') return [];
    if (typeof config.function_name !== 'string' || config.function_name.includes('${')) return [];
    const sourceArn =
      typeof config.source_arn === 'string' && !config.source_arn.includes('${')
        ? config.source_arn
        : undefined;
    // The function may be named by name or ARN; keep the name.
    const functionName = config.function_name.split(':function:').pop() as string;
    return [{ functionName, principal: config.principal, sourceArn }];
  });
}
