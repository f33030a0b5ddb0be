import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { FaultRegistry } from '#local/emulators/common';
import { type FunctionSpec, LambdaRunner } from '#local/emulators/lambda';

// A tiny "bundle" whose behaviour the event chooses.
const BUNDLE = `
import { appendFileSync, readFileSync } from 'node:fs';
export const handler = async (event, context) => {
  if (event.action === 'env') return { leaked: process.env.RUNNER_TEST_PARENT ?? null, mine: process.env.MINE, name: context.functionName };
  if (event.action === 'crash') process.exit(3);
  if (event.action === 'hang') return new Promise(() => setInterval(() => {}, 1000));
  if (event.action === 'request-id') {
    appendFileSync(event.counter, context.awsRequestId + ' ' + context.getRemainingTimeInMillis() + '\\n');
    throw new Error('fails every time');
  }
  if (event.action === 'flaky') {
    appendFileSync(event.counter, 'x');
    const calls = readFileSync(event.counter, 'utf8').length;
    if (calls <= event.failures) throw new Error('attempt ' + calls + ' failed');
    return { calls };
  }
  return { ok: true };
};
`;

describe('integration', () => {
  describe('Lambda runner', () => {
    let dir: string;
    let runner: LambdaRunner;
    let spec: FunctionSpec;

    before(async () => {
      dir = await mkdtemp(join(tmpdir(), 'runner-'));
      await writeFile(join(dir, 'index.mjs'), BUNDLE);
      process.env.RUNNER_TEST_PARENT = 'must not leak';
    });

    beforeEach(() => {
      runner = new LambdaRunner({ logDir: dir, retryDelayMs: 1 });
      spec = {
        name: 'demo',
        arn: 'arn:aws:lambda:us-east-1:000000000000:function:demo',
        modulePath: join(dir, 'index.mjs'),
        exportName: 'handler',
        env: { MINE: 'yes', PATH: process.env.PATH ?? '' },
        timeoutMs: 2000,
        maxRetries: 2,
        onFailure: 'arn:aws:sqs:us-east-1:000000000000:demo-dlq',
        maxConcurrency: 2,
      };
      runner.register(spec);
    });

    afterEach(async () => {
      await runner.stop();
    });

    after(async () => {
      delete process.env.RUNNER_TEST_PARENT;
      await rm(dir, { recursive: true, force: true });
    });

    it('gives the function only its own environment and a Lambda context', async () => {
      const result = await runner.invoke('demo', { action: 'env' });

      expect(result).to.deep.equal({ ok: true, result: { leaked: null, mine: 'yes', name: 'demo' } });
    });

    it('retries an async invocation and records no dead letter when a retry succeeds', async () => {
      runner.invokeAsync(spec.arn, { action: 'flaky', failures: 2, counter: join(dir, 'two-failures') });
      await runner.whenIdle();

      expect(runner.deadLetters).to.deep.equal([]);
    });

    it('sends the event to the on-failure destination after the configured retries', async () => {
      const event = { action: 'flaky', failures: 99, counter: join(dir, 'always-fails') };

      runner.invokeAsync('demo', event, 's3:bucket');
      await runner.whenIdle();

      expect(runner.deadLetters).to.have.length(1);
      expect(runner.deadLetters[0]).to.deep.include({
        functionName: 'demo',
        destination: spec.onFailure,
        attempts: 3,
        event,
        origin: 's3:bucket',
      });
      expect(runner.deadLetters[0]?.error.errorMessage).to.equal('attempt 3 failed');
    });

    it('survives a function that kills its process, and starts a fresh container for the next call', async () => {
      const crash = await runner.invoke('demo', { action: 'crash' });
      const next = await runner.invoke('demo', { action: 'ok' });

      expect(crash.ok).to.equal(false);
      expect(crash.ok === false && crash.error.errorType).to.equal('Runtime.ExitError');
      expect(next).to.deep.equal({ ok: true, result: { ok: true } });
    });

    it("ends an invocation that outlives its timeout with Lambda's timeout error", async () => {
      const result = await runner.invoke('demo', { action: 'hang' });

      expect(result.ok === false && result.error.errorMessage).to.match(/Task timed out after 2\.00 seconds/);
    });

    it('retries an async event under the request id it accepted it with, as Lambda does', async () => {
      const counter = join(dir, 'request-ids');

      runner.invokeAsync('demo', { action: 'request-id', counter });
      await runner.whenIdle();

      const ids = (await readFile(counter, 'utf8'))
        .trim()
        .split('\n')
        .map((line) => line.split(' ')[0]);
      expect(ids).to.have.length(3);
      expect(new Set(ids).size).to.equal(1);
      expect(runner.deadLetters[0]?.requestId).to.equal(ids[0]);
    });

    describe('injected faults', () => {
      let faults: FaultRegistry;

      beforeEach(async () => {
        await runner.stop();
        faults = new FaultRegistry();
        runner = new LambdaRunner({ logDir: dir, retryDelayMs: 1, faults });
        runner.register(spec);
      });

      it('fails the first attempt before the handler runs, then lets the retry through', async () => {
        faults.inject({ service: 'lambda', function: 'demo', kind: 'throw' });
        const counter = join(dir, 'thrown-once');

        runner.invokeAsync('demo', { action: 'flaky', failures: 0, counter });
        await runner.whenIdle();

        expect(await readFile(counter, 'utf8'), 'the handler ran once: on the retry').to.equal('x');
        expect(runner.deadLetters).to.deep.equal([]);
      });

      it('times an invocation out at the injected time, telling the function that deadline', async () => {
        faults.inject({ service: 'lambda', function: 'demo', kind: 'timeout', afterMs: 300 });
        const counter = join(dir, 'short-deadline');

        const result = await runner.invoke('demo', { action: 'request-id', counter });
        const remaining = Number((await readFile(counter, 'utf8')).trim().split(' ')[1]);

        expect(result.ok).to.equal(false);
        expect(remaining).to.be.at.most(300);
        const hung = await runner
          .invoke('demo', { action: 'hang' })
          .then(() => runner.invoke('demo', { action: 'ok' }));
        expect(hung).to.deep.equal({ ok: true, result: { ok: true } });
      });

      it('kills the process of an invocation at the injected time, as a crash would', async () => {
        faults.inject({ service: 'lambda', function: 'demo', kind: 'kill', afterMs: 200 });

        const result = await runner.invoke('demo', { action: 'hang' });

        expect(result.ok === false && result.error.errorType).to.equal('Runtime.ExitError');
        expect(result.ok === false && result.error.errorMessage).to.include('SIGKILL');
      });

      it('kills the running containers of a function on demand', async () => {
        const running = runner.invoke('demo', { action: 'hang' });
        await new Promise((resolve) => setTimeout(resolve, 300));

        const killed = runner.kill('demo');

        expect(killed).to.equal(1);
        expect((await running).ok).to.equal(false);
      });
    });

    it('refuses a function the stack does not declare', () => {
      expect(() => runner.invokeAsync('nope', {})).to.throw(/Function not found: nope/);
    });
  });
});
