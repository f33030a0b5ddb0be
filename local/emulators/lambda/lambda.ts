import type { EventEmitter } from 'node:events';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Deliver, FaultRegistry, ServedEmulator } from '#local/emulators/common';
import type { UsageMeter } from '#local/usage';
import { startLambdaApi } from './api.ts';
import { deployFunctions, type FunctionEndpoints } from './deploy.ts';
import { onFailureRecord } from './destination.ts';
import type { LambdaResources } from './from-stack.ts';
import { invokeRefusal } from './permissions.ts';
import { LambdaRunner } from './runner.ts';
import type { DeadLetter, FunctionSpec, InvokeResult } from './types.ts';

/** Options of {@link startLambda}: where it keeps packages and logs, and the stack's resources. */
export interface LambdaOptions extends LambdaResources {
  /** Unpacked packages and layers go under `<dataDir>/functions` and `<dataDir>/layers`, logs under `<dataDir>/logs`. */
  readonly dataDir: string;
  readonly region: string;
  readonly account: string;
  /** Where a function's on-failure record goes (its destination: a queue). */
  readonly deliver: Deliver;
  /** Delay between async retries (Lambda waits minutes; tests want milliseconds). */
  readonly retryDelayMs?: number;
  readonly faults?: FaultRegistry;
  /** Counts invocations and their billed duration. */
  readonly usage?: UsageMeter;
}

/** The local Lambda: the runner, its Invoke API, and the stack's functions once {@link deploy}ed. */
export interface LocalLambda extends ServedEmulator {
  /**
   * Emits `invocation` ({ functionName, attempt, ok, error? }), `log` ({ functionName, line }),
   * `dead-letter` ({@link DeadLetter}) and `event` ({ functionArn, event }: an `Event` Invoke accepted).
   */
  readonly events: EventEmitter;
  /** Events every function gave up on after its retries. */
  readonly deadLetters: readonly DeadLetter[];
  /**
   * Unpacks and registers the stack's functions, pointed at the other emulators' endpoints; `overrides`
   * replace the stack's values of variables a function declares (stage overrides).
   */
  deploy(
    endpoints: Omit<FunctionEndpoints, 'lambda'>,
    overrides?: Readonly<Record<string, string>>,
  ): Promise<void>;
  /** Invokes synchronously (what API Gateway does), by name or ARN. */
  invoke(functionName: string, event: unknown): Promise<InvokeResult>;
  /**
   * Invokes asynchronously an event from `origin` (`s3:<bucket>`, a topic ARN, `rule/<name>`);
   * throws, as AWS refuses it, when no `aws_lambda_permission` lets that service invoke the function.
   */
  invokeAsync(functionArn: string, event: unknown, origin: string): void;
  find(nameOrArn: string): FunctionSpec | undefined;
  /** Kills the running containers of a function now, as a crash would; returns how many. */
  kill(functionName: string): number;
  /** Kills every container at once, synchronously: for a process about to exit. */
  abort(): void;
}

/** Starts the local Lambda: a runner of warm containers and its Invoke API on 127.0.0.1. */
export async function startLambda(options: LambdaOptions): Promise<LocalLambda> {
  const { region, account } = options;
  const logDir = join(options.dataDir, 'logs');
  await mkdir(logDir, { recursive: true });
  const runner = new LambdaRunner({
    logDir,
    ...(options.retryDelayMs !== undefined && { retryDelayMs: options.retryDelayMs }),
    ...(options.faults && { faults: options.faults }),
    ...(options.usage && { usage: options.usage }),
  });
  const events: EventEmitter = runner;
  const api = await startLambdaApi(runner, {
    onEvent: (functionArn, event) => events.emit('event', { functionArn, event }),
  }).catch(async (error: unknown) => {
    await runner.stop();
    throw error;
  });
  runner.on('dead-letter', (letter: DeadLetter) => {
    if (!letter.destination) return;
    const arn = runner.find(letter.functionName)?.arn ?? letter.functionName;
    options.deliver(letter.destination, onFailureRecord(letter, arn), `lambda:${letter.functionName}`);
  });
  return {
    endpoint: api.endpoint,
    events,
    deadLetters: runner.deadLetters,
    deploy: async (endpoints, overrides) => {
      const specs = await deployFunctions(options, {
        dataDir: options.dataDir,
        endpoints: { ...endpoints, lambda: api.endpoint },
        region,
        ...(overrides && { overrides }),
      });
      for (const spec of specs) runner.register(spec);
    },
    invoke: (functionName, event) => runner.invoke(functionName, event),
    invokeAsync: (functionArn, event, origin) => {
      const refusal = invokeRefusal(options.permissions, functionArn, origin, { region, account });
      if (refusal) throw new Error(refusal);
      runner.invokeAsync(functionArn, event, origin);
    },
    find: (nameOrArn) => runner.find(nameOrArn),
    kill: (functionName) => runner.kill(functionName),
    whenIdle: () => runner.whenIdle(),
    stop: async () => {
      await api.stop();
      await runner.stop();
    },
    abort: () => runner.abort(),
  };
}
