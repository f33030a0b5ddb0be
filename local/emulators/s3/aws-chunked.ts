import { Transform, type TransformCallback } from 'node:stream';

/**
 * Decodes an `aws-chunked` request body (`<hex size>[;chunk-signature=…]\r\n<data>\r\n … 0\r\n<trailers>`)
 * into the object's bytes. AWS SDK v3 and the AWS CLI stream uploads this way with checksum
 * trailers; S3 stores only the payload, s3rver would store the framing too.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming.html
 */
export class AwsChunkedDecoder extends Transform {
  private buffer: Buffer = Buffer.alloc(0);
  private remaining = 0;
  private state: 'size' | 'data' | 'crlf' | 'trailer' = 'size';

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    try {
      this.drain();
      done();
    } catch (error) {
      done(error as Error);
    }
  }

  override _flush(done: TransformCallback): void {
    done(
      this.state === 'trailer' ? null : new Error('aws-chunked body ended before its final 0-size chunk.'),
    );
  }

  private drain(): void {
    for (;;) {
      if (this.state === 'trailer') {
        this.buffer = Buffer.alloc(0);
        return;
      }
      if (this.state === 'size') {
        const end = this.buffer.indexOf('\r\n');
        if (end < 0) return;
        const header = this.buffer.toString('latin1', 0, end);
        const size = Number.parseInt(header.split(';')[0] ?? '', 16);
        if (!Number.isFinite(size) || size < 0)
          throw new Error(`Malformed aws-chunked chunk header "${header}".`);
        this.buffer = this.buffer.subarray(end + 2);
        this.remaining = size;
        this.state = size === 0 ? 'trailer' : 'data';
        continue;
      }
      if (this.state === 'data') {
        if (this.buffer.length === 0) return;
        const take = Math.min(this.remaining, this.buffer.length);
        this.push(this.buffer.subarray(0, take));
        this.buffer = this.buffer.subarray(take);
        this.remaining -= take;
        if (this.remaining === 0) this.state = 'crlf';
        continue;
      }
      if (this.buffer.length < 2) return;
      this.buffer = this.buffer.subarray(2);
      this.state = 'size';
    }
  }
}

/** True when a request's body is aws-chunked (by content encoding or streaming payload hash). */
export function isAwsChunked(headers: Readonly<Record<string, string | string[] | undefined>>): boolean {
  const encoding = String(headers['content-encoding'] ?? '');
  const payload = String(headers['x-amz-content-sha256'] ?? '');
  return encoding.split(',').some((e) => e.trim() === 'aws-chunked') || payload.startsWith('STREAMING-');
}

/** The request headers to forward once the body is decoded: plain length, no aws-chunked encoding. */
export function decodedHeaders(
  headers: Readonly<Record<string, string | string[] | undefined>>,
): Record<string, string | string[] | undefined> {
  const out: Record<string, string | string[] | undefined> = { ...headers };
  const encodings = String(headers['content-encoding'] ?? '')
    .split(',')
    .map((e) => e.trim())
    .filter((e) => e !== '' && e !== 'aws-chunked');
  if (encodings.length > 0) out['content-encoding'] = encodings.join(',');
  else delete out['content-encoding'];
  const decoded = headers['x-amz-decoded-content-length'];
  if (decoded !== undefined) {
    out['content-length'] = String(decoded);
    delete out['transfer-encoding'];
  } else {
    delete out['content-length'];
    out['transfer-encoding'] = 'chunked';
  }
  out['x-amz-content-sha256'] = 'UNSIGNED-PAYLOAD';
  delete out['x-amz-decoded-content-length'];
  delete out['x-amz-trailer'];
  return out;
}
