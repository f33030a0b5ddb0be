import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import type { FaultRegistry } from '#local/emulators/common';
import type { UsageMeter } from '#local/usage';
import { type Container, runInContainer, startContainer } from './container.ts';
import type { DeadLetter, FunctionSpec, InvokeResult } from './types.ts';

interface Pending {
  readonly event: unknown;
  readonly requestId: string;
  readonly resolve: (result: InvokeResult) => void;
}

/**
 * Runs function bundles the way Lambda does: warm child processes (one per concurrent
 * invocation, reused, restarted after a crash or timeout), a clean environment per function,
 * and asynchronous invocations with Lambda's retry and on-failure semantics.
 * Emits `invocation`, `log` and `dead-letter`.
 */
export class LambdaRunner extends EventEmitter {
  readonly deadLetters: DeadLetter[] = [];
  private readonly specs = new Map<string, FunctionSpec>();
  private readonly containers = new Map<string, Container[]>();
  private readonly queues = new Map<string, Pending[]>();
  private readonly logs = new Map<string, WriteStream>();
  private inFlight = 0;
  private idleWaiters: (() => void)[] = [];
  private stopped = false;

  constructor(
    private readonly options: {
      logDir: string;
      retryDelayMs?: number;
      /** Injected faults (tests): an invocation that throws at once, times out or is killed. */
      faults?: FaultRegistry;
      /** Counts invocations and their billed duration. */
      usage?: UsageMeter;
    },
  ) {
    super();
  }

  register(spec: FunctionSpec): void {
    this.specs.set(spec.arn, spec);
    this.specs.set(spec.name, spec);
    this.containers.set(spec.name, []);
    this.queues.set(spec.name, []);
  }

  /** The registered function by name or ARN (qualified ARNs included). */
  find(nameOrArn: string): FunctionSpec | undefined {
    return this.specs.get(nameOrArn) ?? this.specs.get(nameOrArn.replace(/:(\$LATEST|\d+)$/, ''));
  }

  /** Invokes synchronously (RequestResponse): one attempt, the result or the function's error. */
  invoke(nameOrArn: string, event: unknown): Promise<InvokeResult> {
    const spec = this.require(nameOrArn);
    return this.track(this.schedule(spec, event));
  }

  /**
   * Invokes asynchronously (Event): returns at once; on error retries up to `maxRetries`
   * times, then records the event in {@link deadLetters} for the on-failure destination.
   */
  invokeAsync(nameOrArn: string, event: unknown, origin = 'direct'): void {
    const spec = this.require(nameOrArn);
    void this.track(this.runAsync(spec, event, origin));
  }

  /** Kills the running containers of a function (by name, ARN or stack-less name) now, as a crash would; returns how many. */
  kill(name: string): number {
    const spec =
      this.find(name) ?? [...this.specs.values()].find((s) => namesFunction(s, name)) ?? this.require(name);
    const running = (this.containers.get(spec.name) ?? []).filter((c) => c.busy && !c.dead);
    for (const container of running) container.child.kill('SIGKILL');
    return running.length;
  }

  /** Resolves when no invocation is queued, running or waiting for a retry. */
  whenIdle(): Promise<void> {
    if (this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Kills every container and closes the logs. */
  async stop(): Promise<void> {
    const exits: Promise<unknown>[] = [];
    for (const list of this.containers.values()) {
      for (const container of list) {
        if (container.child.exitCode === null && container.child.signalCode === null) {
          exits.push(new Promise((resolve) => container.child.once('exit', resolve)));
        }
      }
    }
    this.abort();
    for (const queue of this.queues.values()) {
      for (const pending of queue.splice(0)) {
        pending.resolve({
          ok: false,
          error: { errorType: 'Stopped', errorMessage: 'The local cloud stopped.' },
        });
      }
    }
    await Promise.all(exits);
    await Promise.all([...this.logs.values()].map((log) => new Promise((resolve) => log.end(resolve))));
  }

  /** Kills every container at once, synchronously, and runs nothing more: for a process about to exit. */
  abort(): void {
    this.stopped = true;
    for (const list of this.containers.values()) {
      for (const container of list) container.child.kill('SIGKILL');
    }
  }

  private require(nameOrArn: string): FunctionSpec {
    const spec = this.find(nameOrArn);
    if (!spec) {
      throw new Error(
        `ResourceNotFoundException: Function not found: ${nameOrArn}. The stack declares no such function.`,
      );
    }
    return spec;
  }

  private async track<T>(work: Promise<T>): Promise<T> {
    this.inFlight++;
    try {
      return await work;
    } finally {
      this.inFlight--;
      if (this.inFlight === 0) for (const wake of this.idleWaiters.splice(0)) wake();
    }
  }

  private async runAsync(spec: FunctionSpec, event: unknown, origin: string): Promise<void> {
    // Lambda retries an asynchronous event under the request id it accepted it with.
    const requestId = randomUUID();
    let last: InvokeResult | undefined;
    for (let attempt = 1; attempt <= spec.maxRetries + 1; attempt++) {
      if (this.stopped) return;
      last = await this.schedule(spec, event, requestId);
      this.emit('invocation', { functionName: spec.name, attempt, origin, ...last });
      if (last.ok) return;
      if (attempt <= spec.maxRetries) {
        // Lambda waits about a minute, then two, between attempts; locally the order matters, not the wait.
        await new Promise((resolve) => setTimeout(resolve, (this.options.retryDelayMs ?? 100) * attempt));
      }
    }
    if (last && !last.ok && !this.stopped) {
      const letter: DeadLetter = {
        functionName: spec.name,
        requestId,
        ...(spec.onFailure && { destination: spec.onFailure }),
        attempts: spec.maxRetries + 1,
        error: { errorType: last.error.errorType, errorMessage: last.error.errorMessage },
        event,
        origin,
        time: new Date().toISOString(),
      };
      this.deadLetters.push(letter);
      this.emit('dead-letter', letter);
    }
  }

  private schedule(spec: FunctionSpec, event: unknown, requestId = randomUUID()): Promise<InvokeResult> {
    return new Promise((resolve) => {
      this.queues.get(spec.name)?.push({ event, requestId, resolve });
      this.pump(spec);
    });
  }

  private pump(spec: FunctionSpec): void {
    const queue = this.queues.get(spec.name) ?? [];
    const pool = this.containers.get(spec.name) ?? [];
    while (queue.length > 0 && !this.stopped) {
      let container = pool.find((c) => !c.busy && !c.dead);
      if (!container) {
        if (pool.filter((c) => !c.dead).length >= spec.maxConcurrency) return;
        container = this.startContainer(spec);
        pool.push(container);
      }
      const pending = queue.shift() as Pending;
      container.busy = true;
      const chosen = container;
      void this.run(spec, chosen, pending.event, pending.requestId).then((result) => {
        chosen.busy = false;
        if (chosen.dead) pool.splice(pool.indexOf(chosen), 1);
        pending.resolve(result);
        this.pump(spec);
      });
    }
  }

  private async run(
    spec: FunctionSpec,
    container: Container,
    event: unknown,
    requestId: string,
  ): Promise<InvokeResult> {
    const fault = this.options.faults?.take('lambda', `${spec.name} ${requestId}`, (f) =>
      namesFunction(spec, f.function),
    );
    if (fault?.kind === 'throw') {
      return {
        ok: false,
        error: {
          errorType: 'FaultInjected',
          errorMessage: `RequestId: ${requestId} Error: injected failure of ${spec.name}`,
        },
      };
    }
    return runInContainer(container, spec, {
      event,
      requestId,
      timeoutMs: fault?.kind === 'timeout' ? fault.afterMs : spec.timeoutMs,
      ...(fault?.kind === 'kill' && { killAfterMs: fault.afterMs }),
      onFinish: (timing) =>
        this.options.usage?.lambdaInvocation({
          functionName: spec.name,
          memoryMb: spec.memoryMb ?? 128,
          architecture: spec.architecture ?? 'x86_64',
          ...timing,
        }),
    });
  }

  private startContainer(spec: FunctionSpec): Container {
    const log = this.logFor(spec.name);
    return startContainer(spec, (text) => {
      log.write(text);
      for (const line of text.split('\n'))
        if (line.trim()) this.emit('log', { functionName: spec.name, line });
    });
  }

  private logFor(name: string): WriteStream {
    let log = this.logs.get(name);
    if (!log) {
      log = createWriteStream(`${this.options.logDir}/${name}.log`, { flags: 'a' });
      this.logs.set(name, log);
    }
    return log;
  }
}

/** True when `name` is the function's name, or its name without the stack prefix (`transcode-video`). */
function namesFunction(spec: FunctionSpec, name: string): boolean {
  return spec.name === name || spec.name.endsWith(`-${name}`);
}
