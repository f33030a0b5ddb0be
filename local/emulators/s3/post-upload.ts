import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rm, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import busboy from 'busboy';
import { LOCAL_CREDENTIALS } from '#local/emulators/common';
import type { Gateway } from './gateway.ts';
import { type S3ErrorReply, sendError } from './http.ts';
import { keyTooLong } from './keys.ts';
import { checkContentLength, checkPostPolicy, isErrorReply } from './post-policy.ts';
import { xmlText } from './xml.ts';

/** The CORS headers of a bucket's rules for a browser POST from the request's origin. */
const corsHeaders = (gateway: Gateway, req: IncomingMessage, bucket: string): Record<string, string> => {
  const origin = req.headers.origin;
  if (!origin) return {};
  const rule = (gateway.cors.get(bucket) ?? []).find(
    (r) => r.allowedMethods.includes('POST') && r.allowedOrigins.some((o) => o === '*' || o === origin),
  );
  if (!rule) return {};
  return {
    'access-control-allow-origin': rule.allowedOrigins.includes('*') ? '*' : origin,
    'access-control-allow-methods': rule.allowedMethods.join(', '),
    ...(rule.exposeHeaders?.length && { 'access-control-expose-headers': rule.exposeHeaders.join(', ') }),
    vary: 'Origin',
  };
};

// https://docs.aws.amazon.com/AmazonS3/latest/API/RESTObjectPOST.html
export const handlePost = async (
  gateway: Gateway,
  req: IncomingMessage,
  res: ServerResponse,
  bucket: string,
): Promise<void> => {
  const headers = corsHeaders(gateway, req, bucket);
  await mkdir(gateway.tmpDir, { recursive: true });
  const fields = new Map<string, string>();
  const original = new Map<string, string>();
  const tmpFile = join(gateway.tmpDir, randomBytes(8).toString('hex'));
  let outcome: { reply?: S3ErrorReply; size?: number; contentType?: string } = {};
  let sawFile = false;
  await new Promise<void>((resolve, reject) => {
    const form = busboy({ headers: req.headers, limits: { fields: 100, files: 1 } });
    form.on('field', (name, value) => {
      fields.set(name.toLowerCase(), value);
      original.set(name.toLowerCase(), name);
    });
    form.on('file', (_name, stream, info) => {
      sawFile = true;
      if (outcome.reply) {
        stream.resume();
        return;
      }
      let size = 0;
      stream.on('data', (chunk: Buffer) => {
        size += chunk.length;
      });
      const write = pipeline(stream, createWriteStream(tmpFile)).then(() => {
        outcome = { ...outcome, size, contentType: info.mimeType };
      });
      write.catch(reject);
      pending.push(write);
    });
    const pending: Promise<void>[] = [];
    form.on('close', () => {
      Promise.all(pending).then(() => resolve(), reject);
    });
    form.on('error', reject);
    req.pipe(form);
  });
  try {
    const key = fields.get('key');
    if (!sawFile) {
      return sendError(
        res,
        {
          status: 400,
          code: 'InvalidArgument',
          message: 'POST requires exactly one file upload per request.',
        },
        headers,
      );
    }
    if (key === undefined || key === '') {
      return sendError(
        res,
        {
          status: 400,
          code: 'InvalidArgument',
          message:
            "Bucket POST must contain a field named 'key'.  If it is specified, please check the order of the fields.",
        },
        headers,
      );
    }
    const tooLong = keyTooLong(key);
    if (tooLong) return sendError(res, tooLong, headers);
    const accepted = checkPostPolicy(
      fields,
      bucket,
      (id) => (id === LOCAL_CREDENTIALS.accessKeyId ? LOCAL_CREDENTIALS.secretAccessKey : undefined),
      new Date(),
    );
    if (isErrorReply(accepted)) return sendError(res, accepted, headers);
    const size = (await stat(tmpFile)).size;
    const tooBig = checkContentLength(accepted, size);
    if (tooBig) return sendError(res, tooBig, headers);

    const metadata = Object.fromEntries(
      [...fields]
        .filter(([name]) => name.startsWith('x-amz-meta-'))
        .map(([name, value]) => [name.slice(11), value]),
    );
    const tagging = fields.get('tagging') ? tagsFromXml(fields.get('tagging') ?? '') : undefined;
    const store = async () => {
      gateway.postedKeys.add(`${bucket}/${key}`);
      return gateway.backend.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: key,
          Body: createReadStream(tmpFile),
          ContentLength: size,
          ContentType: fields.get('content-type') ?? outcome.contentType ?? 'binary/octet-stream',
          ...(Object.keys(metadata).length > 0 && { Metadata: metadata }),
          ...(tagging && { Tagging: tagging }),
        }),
      );
    };
    let put: Awaited<ReturnType<typeof store>> | undefined;
    const version = gateway.versions.isVersioned(bucket)
      ? await gateway.versions.write(
          bucket,
          key,
          async () => {
            put = await store();
            return true;
          },
          tagging ? { tagging } : {},
        )
      : undefined;
    if (!put) put = await store();
    const status = Number(fields.get('success_action_status') ?? '204');
    const location = `${gateway.endpoint()}/${bucket}/${key.split('/').map(encodeURIComponent).join('/')}`;
    const common = {
      ...headers,
      etag: put.ETag ?? '',
      location,
      ...(version && { 'x-amz-version-id': version }),
    };
    if (status === 201) {
      res.writeHead(201, { ...common, 'content-type': 'application/xml' });
      res.end(
        `<?xml version="1.0" encoding="UTF-8"?>\n<PostResponse><Location>${xmlText(location)}</Location><Bucket>${bucket}</Bucket><Key>${xmlText(key)}</Key><ETag>${xmlText(put.ETag ?? '')}</ETag></PostResponse>`,
      );
    } else {
      res.writeHead(status === 200 ? 200 : 204, common);
      res.end();
    }
  } finally {
    await rm(tmpFile, { force: true });
  }
};

function tagsFromXml(xml: string): string {
  const pairs = [...xml.matchAll(/<Tag>\s*<Key>([^<]*)<\/Key>\s*<Value>([^<]*)<\/Value>\s*<\/Tag>/g)];
  return pairs.map(([, k, v]) => `${encodeURIComponent(k ?? '')}=${encodeURIComponent(v ?? '')}`).join('&');
}
