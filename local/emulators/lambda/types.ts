/** One function as the runner needs it, taken from the stack's `aws_lambda_function` and its invoke config. */
export interface FunctionSpec {
  readonly name: string;
  readonly arn: string;
  /** The bundle file to import and the export to call (from `handler`, e.g. `index.handler`). */
  readonly modulePath: string;
  readonly exportName: string;
  /** The complete environment of the container. */
  readonly env: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
  /** Async invocations retried after an error (Lambda's default is 2). */
  readonly maxRetries: number;
  /** Where events that failed every attempt go (the on-failure destination ARN), if anywhere. */
  readonly onFailure?: string;
  /** Containers that may run at once. */
  readonly maxConcurrency: number;
  /** Configured memory (`memory_size`) and architecture, for the usage meter. */
  readonly memoryMb?: number;
  readonly architecture?: string;
}

/** The outcome of one invocation. */
export type InvokeResult =
  | { readonly ok: true; readonly result: unknown }
  | {
      readonly ok: false;
      readonly error: { errorType: string; errorMessage: string; stackTrace?: string[] };
    };

/** An event a function gave up on after every retry, as the on-failure destination receives it. */
export interface DeadLetter {
  readonly functionName: string;
  /** The request id every attempt shared, as the on-failure record's `requestContext.requestId`. */
  readonly requestId: string;
  readonly destination?: string;
  readonly attempts: number;
  readonly error: { errorType: string; errorMessage: string };
  readonly event: unknown;
  readonly origin: string;
  readonly time: string;
}
