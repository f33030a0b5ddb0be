import { formatBytes } from '#web/ui/format.ts';

/** The `<Code>`, `<Message>` and size fields of an S3 XML error, as far as the body has them. */
export interface S3ErrorBody {
  readonly code?: string;
  readonly message?: string;
  readonly maxSizeAllowed?: number;
}

const ENTITIES: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function unescapeXml(text: string): string {
  return text.replace(/&(lt|gt|amp|quot|apos|#\d{1,7}|#x[0-9a-f]{1,6});/gi, (entity, name: string) => {
    if (!name.startsWith('#')) return ENTITIES[name.toLowerCase()] ?? entity;
    const hex = name[1] === 'x' || name[1] === 'X';
    const code = Number.parseInt(name.slice(hex ? 2 : 1), hex ? 16 : 10);
    return code <= 0x10ffff ? String.fromCodePoint(code) : entity;
  });
}

function element(xml: string, name: string): string | undefined {
  const match = new RegExp(`<${name}>([\\s\\S]*?)</${name}>`).exec(xml);
  return match?.[1] === undefined ? undefined : unescapeXml(match[1]).trim();
}

/** Reads S3's XML error document (`<Error><Code>…</Code><Message>…</Message></Error>`). */
export function parseS3Error(body: string): S3ErrorBody {
  const code = element(body, 'Code');
  const message = element(body, 'Message');
  const max = Number(element(body, 'MaxSizeAllowed'));
  return {
    ...(code ? { code } : {}),
    ...(message ? { message } : {}),
    ...(Number.isSafeInteger(max) && max > 0 ? { maxSizeAllowed: max } : {}),
  };
}

/** Why storage refused an upload, in words; `expired` when a new upload link is needed. */
export function storageFailure(status: number, body: string): { message: string; expired: boolean } {
  const error = parseS3Error(body);
  const detail = error.message ? `: ${error.message}` : '';
  switch (error.code) {
    case 'EntityTooLarge':
      return {
        message: `Storage refused the file: it is larger than the upload limit${
          error.maxSizeAllowed ? ` of ${formatBytes(error.maxSizeAllowed)}` : ''
        }.`,
        expired: false,
      };
    case 'EntityTooSmall':
      return { message: 'Storage refused the file: it is empty.', expired: false };
    case 'AccessDenied':
      if (/expired/i.test(error.message ?? '')) {
        return {
          message: 'The upload link expired before the file was sent. Retry to get a new link.',
          expired: true,
        };
      }
      return { message: `Storage refused the upload (AccessDenied${detail}).`, expired: false };
    case undefined:
      return {
        message: `Storage answered HTTP ${status} without saying why. Retry in a moment.`,
        expired: false,
      };
    default:
      return { message: `Storage refused the upload (${error.code}${detail}).`, expired: false };
  }
}
