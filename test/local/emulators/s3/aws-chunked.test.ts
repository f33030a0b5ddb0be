import { Readable } from 'node:stream';
import { expect } from 'chai';
import fc from 'fast-check';
import { AwsChunkedDecoder, decodedHeaders, isAwsChunked } from '#local/emulators/s3/aws-chunked.ts';

function encode(payload: Buffer, chunkSize: number): Buffer {
  const parts: Buffer[] = [];
  for (let offset = 0; offset < payload.length; offset += chunkSize) {
    const chunk = payload.subarray(offset, offset + chunkSize);
    parts.push(
      Buffer.from(`${chunk.length.toString(16)};chunk-signature=abc\r\n`),
      chunk,
      Buffer.from('\r\n'),
    );
  }
  parts.push(Buffer.from('0\r\nx-amz-checksum-crc32:AAAAAA==\r\n\r\n'));
  return Buffer.concat(parts);
}

async function decode(body: Buffer, pieces: number): Promise<Buffer> {
  const size = Math.max(1, Math.ceil(body.length / pieces));
  const slices = Array.from({ length: Math.ceil(body.length / size) }, (_, i) =>
    body.subarray(i * size, (i + 1) * size),
  );
  const out: Buffer[] = [];
  for await (const chunk of Readable.from(slices).pipe(new AwsChunkedDecoder())) out.push(chunk as Buffer);
  return Buffer.concat(out);
}

describe('unit', () => {
  describe('aws-chunked decoding', () => {
    it('returns the payload whatever the chunk sizes and however the body is split', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.uint8Array({ maxLength: 3000 }),
          fc.integer({ min: 1, max: 700 }),
          fc.integer({ min: 1, max: 50 }),
          async (bytes, chunkSize, pieces) => {
            const payload = Buffer.from(bytes);
            expect((await decode(encode(payload, chunkSize), pieces)).equals(payload)).to.equal(true);
          },
        ),
        { numRuns: 60 },
      );
    });

    it('fails when the body ends before the final chunk', async () => {
      const truncated = encode(Buffer.from('hello world'), 4).subarray(0, 12);

      const outcome = await decode(truncated, 1).then(
        () => 'decoded',
        (error: Error) => error.message,
      );

      expect(outcome).to.contain('ended before');
    });

    it('recognizes streaming uploads and forwards the decoded length without the chunked encoding', () => {
      const headers = {
        'content-encoding': 'aws-chunked',
        'x-amz-content-sha256': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
        'x-amz-decoded-content-length': '11',
        'content-length': '90',
        'x-amz-trailer': 'x-amz-checksum-crc32',
      };

      expect(isAwsChunked(headers)).to.equal(true);
      expect(decodedHeaders(headers)).to.deep.equal({
        'content-length': '11',
        'x-amz-content-sha256': 'UNSIGNED-PAYLOAD',
      });
      expect(isAwsChunked({ 'content-length': '3' })).to.equal(false);
    });
  });
});
