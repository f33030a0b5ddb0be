import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetFunctionEventInvokeConfigCommand, InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { expect } from 'chai';
import { LOCAL_CREDENTIALS } from '#local/emulators/common';
import { type DeadLetter, LambdaRunner, type LocalLambdaApi, startLambdaApi } from '#local/emulators/lambda';

const BUNDLE = `
import { appendFileSync } from 'node:fs';
export const handler = async (event) => {
  if (event.record) appendFileSync(event.record, JSON.stringify(event) + '\\n');
  if (event.fail) throw new Error('asked to fail');
  return { echo: event.value ?? null };
};
`;

const ARN = 'arn:aws:lambda:us-east-1:000000000000:function:worker';

describe('integration', () => {
  describe('local Lambda Invoke API', () => {
    let dir: string;
    let runner: LambdaRunner;
    let api: LocalLambdaApi;
    let client: LambdaClient;

    before(async () => {
      dir = await mkdtemp(join(tmpdir(), 'lambda-api-'));
      await writeFile(join(dir, 'index.mjs'), BUNDLE);
      runner = new LambdaRunner({ logDir: dir, retryDelayMs: 1 });
      runner.register({
        name: 'worker',
        arn: ARN,
        modulePath: join(dir, 'index.mjs'),
        exportName: 'handler',
        env: { PATH: process.env.PATH ?? '' },
        timeoutMs: 5000,
        maxRetries: 2,
        onFailure: 'arn:aws:sqs:us-east-1:000000000000:worker-dlq',
        maxConcurrency: 1,
      });
      api = await startLambdaApi(runner);
      client = new LambdaClient({
        endpoint: api.endpoint,
        region: 'us-east-1',
        credentials: LOCAL_CREDENTIALS,
      });
    });

    after(async () => {
      client.destroy();
      await api.stop();
      await runner.stop();
      await rm(dir, { recursive: true, force: true });
    });

    const payload = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));
    const decoded = (bytes: Uint8Array | undefined) => JSON.parse(new TextDecoder().decode(bytes));

    it("answers GetFunctionEventInvokeConfig with the function's retries and on-failure destination", async () => {
      const config = await client.send(new GetFunctionEventInvokeConfigCommand({ FunctionName: 'worker' }));
      const missing = await client
        .send(new GetFunctionEventInvokeConfigCommand({ FunctionName: 'nobody' }))
        .then(
          () => undefined,
          (error: Error) => error.name,
        );

      expect(config.FunctionArn).to.equal(`${ARN}:$LATEST`);
      expect(config.MaximumRetryAttempts).to.equal(2);
      expect(config.DestinationConfig?.OnFailure?.Destination).to.equal(
        'arn:aws:sqs:us-east-1:000000000000:worker-dlq',
      );
      expect(missing).to.equal('ResourceNotFoundException');
    });

    it('runs a RequestResponse invocation and answers its result, by name or ARN', async () => {
      const byName = await client.send(
        new InvokeCommand({ FunctionName: 'worker', Payload: payload({ value: 1 }) }),
      );
      const byArn = await client.send(
        new InvokeCommand({ FunctionName: ARN, Payload: payload({ value: 2 }) }),
      );

      expect([byName.StatusCode, decoded(byName.Payload)]).to.deep.equal([200, { echo: 1 }]);
      expect(decoded(byArn.Payload)).to.deep.equal({ echo: 2 });
      expect(byName.FunctionError).to.equal(undefined);
    });

    it("answers a function's error as Lambda does: 200 with X-Amz-Function-Error", async () => {
      const result = await client.send(
        new InvokeCommand({ FunctionName: 'worker', Payload: payload({ fail: true }) }),
      );

      expect(result.StatusCode).to.equal(200);
      expect(result.FunctionError).to.equal('Unhandled');
      expect(decoded(result.Payload)).to.include({ errorMessage: 'asked to fail' });
    });

    it('accepts an Event invocation with 202 and runs it asynchronously', async () => {
      const record = join(dir, 'event.log');

      const result = await client.send(
        new InvokeCommand({
          FunctionName: 'worker',
          InvocationType: 'Event',
          Payload: payload({ record, value: 3 }),
        }),
      );
      await runner.whenIdle();

      expect(result.StatusCode).to.equal(202);
      expect(
        (await readFile(record, 'utf8'))
          .trim()
          .split('\n')
          .map((line) => JSON.parse(line)),
      ).to.deep.equal([{ record, value: 3 }]);
    });

    it('retries a failing Event invocation and then hands it to the on-failure destination', async () => {
      const record = join(dir, 'retries.log');
      const letters: DeadLetter[] = [];
      runner.on('dead-letter', (letter: DeadLetter) => letters.push(letter));

      await client.send(
        new InvokeCommand({
          FunctionName: 'worker',
          InvocationType: 'Event',
          Payload: payload({ record, fail: true }),
        }),
      );
      await runner.whenIdle();

      expect((await readFile(record, 'utf8')).trim().split('\n')).to.have.length(3);
      expect(letters.map((l) => [l.functionName, l.destination, l.attempts])).to.deep.equal([
        ['worker', 'arn:aws:sqs:us-east-1:000000000000:worker-dlq', 3],
      ]);
    });

    it('answers ResourceNotFoundException for a function the stack does not declare', async () => {
      const error = await client
        .send(new InvokeCommand({ FunctionName: 'nobody', Payload: payload({}) }))
        .catch((e: Error) => e);

      expect(error).to.have.property('name', 'ResourceNotFoundException');
    });
  });
});
