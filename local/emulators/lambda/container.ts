import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { FunctionSpec, InvokeResult } from './types.ts';

const BOOTSTRAP = fileURLToPath(new URL('./bootstrap.mjs', import.meta.url));

/** A warm child process running one function's bundle, as a Lambda execution environment does. */
export interface Container {
  readonly child: ChildProcess;
  readonly ready: Promise<void>;
  /** How long the container took to start, until its first invocation has been metered. */
  initMs?: number;
  busy: boolean;
  dead: boolean;
}

/** Forks a container for the function; every line it writes goes to `onOutput`. */
export function startContainer(spec: FunctionSpec, onOutput: (text: string) => void): Container {
  const child = fork(BOOTSTRAP, [spec.modulePath, spec.exportName], {
    env: { ...spec.env },
    execArgv: [],
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    serialization: 'advanced',
  });
  child.stdout?.setEncoding('utf8').on('data', onOutput);
  child.stderr?.setEncoding('utf8').on('data', onOutput);
  const started = performance.now();
  const container: Container = {
    child,
    busy: false,
    dead: false,
    ready: new Promise((resolve, reject) => {
      const onMessage = (message: { type?: string }) => {
        if (message?.type === 'ready') {
          child.off('message', onMessage);
          container.initMs = performance.now() - started;
          resolve();
        }
      };
      child.on('message', onMessage);
      child.once('exit', (code, signal) =>
        reject(new Error(`exited with ${signal ?? code} before it was ready`)),
      );
      child.once('error', reject);
    }),
  };
  container.ready.catch(() => undefined);
  child.once('exit', () => {
    container.dead = true;
  });
  return container;
}

/**
 * Runs one invocation in a container: Lambda's errors for a runtime that exits or a task that times
 * out (the container is then dead and replaced); `killAfterMs` kills it mid-run, as a crash would.
 */
export async function runInContainer(
  container: Container,
  spec: FunctionSpec,
  invocation: {
    event: unknown;
    requestId: string;
    timeoutMs: number;
    killAfterMs?: number;
    /** Told the handler's duration, and the container's start time on its first invocation (usage). */
    onFinish?: (timing: { durationMs: number; initMs?: number }) => void;
  },
): Promise<InvokeResult> {
  const { child } = container;
  const { event, requestId, timeoutMs } = invocation;
  try {
    await container.ready;
  } catch (error) {
    container.dead = true;
    return {
      ok: false,
      error: { errorType: 'Runtime.ExitError', errorMessage: `Runtime ${(error as Error).message}` },
    };
  }
  const { initMs } = container;
  container.initMs = undefined;
  const sent = performance.now();
  return new Promise<InvokeResult>((resolve) => {
    const finish = (result: InvokeResult) => {
      invocation.onFinish?.({
        durationMs: performance.now() - sent,
        ...(initMs !== undefined && { initMs }),
      });
      clearTimeout(timer);
      clearTimeout(killer);
      child.off('message', onMessage);
      child.off('exit', onExit);
      resolve(result);
    };
    const onMessage = (message: {
      type?: string;
      requestId?: string;
      ok?: boolean;
      result?: unknown;
      error?: never;
    }) => {
      if (message?.type === 'result' && message.requestId === requestId) {
        finish(
          message.ok ? { ok: true, result: message.result } : { ok: false, error: message.error as never },
        );
      } else if (message?.type === 'crash') {
        finish({ ok: false, error: message.error as never });
      }
    };
    const onExit = (code: number | null, signal: string | null) => {
      container.dead = true;
      finish({
        ok: false,
        error: {
          errorType: 'Runtime.ExitError',
          errorMessage: `RequestId: ${requestId} Error: Runtime exited with error: ${signal ? `signal: ${signal}` : `exit status ${code}`}`,
        },
      });
    };
    const timer = setTimeout(() => {
      container.dead = true;
      child.off('exit', onExit);
      child.kill('SIGKILL');
      finish({
        ok: false,
        error: {
          errorType: 'Sandbox.Timedout',
          errorMessage: `RequestId: ${requestId} Error: Task timed out after ${(timeoutMs / 1000).toFixed(2)} seconds`,
        },
      });
    }, timeoutMs);
    const killer =
      invocation.killAfterMs !== undefined
        ? setTimeout(() => child.kill('SIGKILL'), invocation.killAfterMs)
        : undefined;
    child.on('message', onMessage);
    child.once('exit', onExit);
    child.send({
      type: 'invoke',
      requestId,
      event,
      timeoutMs,
      functionArn: spec.arn,
      functionName: spec.name,
    });
  });
}
