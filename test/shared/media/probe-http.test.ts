import { createReadStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { FFPROBE_PATH, generateClip } from '#local/media';
import { normalizeProbe, probe, runProcess } from '#shared/media';

describe('integration', () => {
  describe('probe over HTTP range requests', () => {
    let dir: string;
    let file: string;
    let size: number;
    let server: Server;
    let baseUrl: string;
    let bytesSent = 0;
    const ranges: string[] = [];

    before(async () => {
      dir = await mkdtemp(join(tmpdir(), 'probe-http-'));
      file = join(dir, 'rendition.mp4');
      await generateClip(file, { seconds: 20, width: 640, height: 360 });
      size = (await stat(file)).size;
      // A minimal S3 stand-in: GET with optional Range, query string (the signature) ignored.
      server = createServer((req, res) => {
        const match = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '');
        const start = match ? Number(match[1]) : 0;
        const end = match?.[2] ? Math.min(Number(match[2]), size - 1) : size - 1;
        ranges.push(req.headers.range ?? 'none');
        res.writeHead(match ? 206 : 200, {
          'Content-Type': 'video/mp4',
          'Content-Length': end - start + 1,
          'Accept-Ranges': 'bytes',
          ...(match ? { 'Content-Range': `bytes ${start}-${end}/${size}` } : {}),
        });
        const stream = createReadStream(file, { start, end });
        res.on('close', () => stream.destroy());
        stream.on('data', (chunk) => {
          bytesSent += chunk.length;
        });
        stream.pipe(res);
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });

    after(async () => {
      if (server) await new Promise((resolve) => server.close(resolve));
      if (dir) await rm(dir, { recursive: true, force: true });
    });

    it('probes a URL with a query string to the same facts as the local file, without fetching all of it', async () => {
      const local = await runProcess(
        FFPROBE_PATH,
        ['-v', 'error', '-show_format', '-show_streams', '-of', 'json', file],
        { timeoutMs: 30_000 },
      );

      const metadata = await probe(`${baseUrl}/videos/v/1080p.mp4?X-Amz-Signature=abc&X-Amz-Expires=900`, {
        ffprobePath: FFPROBE_PATH,
      });

      expect(metadata).to.deep.equal(normalizeProbe(JSON.parse(local.stdout)));
      expect(metadata.size).to.equal(size);
      expect(ranges.length).to.be.greaterThan(0);
      expect(bytesSent).to.be.lessThan(size);
    });
  });
});
