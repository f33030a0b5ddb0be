import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** An S3 error response: HTTP status, S3 error code and message, extra XML elements. */
export interface S3ErrorReply {
  readonly status: number;
  readonly code: string;
  readonly message: string;
  readonly extra?: Readonly<Record<string, string | number>>;
}

/** Serializes an error reply as S3's XML error document. */
export function errorXml(reply: S3ErrorReply, requestId: string): string {
  const xmlEscape = (text: string) =>
    text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  const extra = Object.entries(reply.extra ?? {})
    .map(([name, value]) => `<${name}>${xmlEscape(String(value))}</${name}>`)
    .join('');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${reply.code}</Code><Message>${xmlEscape(reply.message)}</Message>${extra}<RequestId>${requestId}</RequestId></Error>`;
}

/** A request id as S3 spells it: 16 upper-case hex digits. */
export function requestId(): string {
  return randomBytes(8).toString('hex').toUpperCase();
}

/** Answers with an S3 error document. */
export function sendError(
  res: ServerResponse,
  reply: S3ErrorReply,
  headers: Record<string, string> = {},
): void {
  const id = requestId();
  res.writeHead(reply.status, {
    'content-type': 'application/xml',
    'x-amz-request-id': id,
    ...headers,
  });
  res.end(errorXml(reply, id));
}

/** Query parameters that name a subresource (`tagging`, `uploadId`, `versions`…), not signing or overrides. */
export function subresources(url: URL): string[] {
  return [...url.searchParams.keys()].filter((name) => !/^(x-amz-|x-id$|response-|versionId$)/i.test(name));
}

export async function readRequestBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
