import { createServer } from 'node:net';
import { LOCAL_WEB_ORIGIN } from '#infra/config.ts';
import { SynthesizedStack } from '#local/synthesized-stack';

/** A free TCP port on 127.0.0.1 (closed again before it is returned). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address
          ? resolve(address.port)
          : reject(new Error('The OS gave no port.')),
      );
    });
  });
}

/**
 * The synthesized local stack with its web app origin at `http://127.0.0.1:<port>` instead of the one
 * `npm start` uses. Cognito's callback and logout URLs and the API's and upload bucket's CORS all move
 * with it, so a test or benchmark can run while someone's `npm start` holds the default port.
 */
export function stackOnWebPort(stack: SynthesizedStack, port: number): SynthesizedStack {
  const text = JSON.stringify(stack.json);
  if (!text.includes(LOCAL_WEB_ORIGIN)) {
    throw new Error(`The stack does not register ${LOCAL_WEB_ORIGIN}; is it the local stage's stack?`);
  }
  const moved = text.split(LOCAL_WEB_ORIGIN).join(`http://127.0.0.1:${port}`);
  return new SynthesizedStack(JSON.parse(moved) as SynthesizedStack['json'], stack.directory);
}
