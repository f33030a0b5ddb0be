import { readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { LOCAL_WEB_ORIGIN } from '#infra/config.ts';

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
 * A copy of the synthesized local stack whose web app origin is `http://127.0.0.1:<port>` instead of
 * the one `npm start` uses, written beside the original (asset paths in it are relative to it).
 * Cognito's callback and logout URLs and the API's and upload bucket's CORS all move with it, so a
 * test or benchmark can run while someone's `npm start` holds the default port. The caller removes it.
 */
export async function stackOnWebPort(stackFile: string, port: number, tag: string): Promise<string> {
  const text = await readFile(stackFile, 'utf8');
  if (!text.includes(LOCAL_WEB_ORIGIN)) {
    throw new Error(`${stackFile} does not register ${LOCAL_WEB_ORIGIN}; is it the local stage's stack?`);
  }
  const copy = join(dirname(stackFile), `cdk.${tag}-${process.pid}.tf.json`);
  await writeFile(copy, text.split(LOCAL_WEB_ORIGIN).join(`http://127.0.0.1:${port}`));
  return copy;
}
