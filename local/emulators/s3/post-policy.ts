import { createHmac, timingSafeEqual } from 'node:crypto';
import type { S3ErrorReply } from './http.ts';

/** The secret of each access key the local cloud accepts. */
export type SecretLookup = (accessKeyId: string) => string | undefined;

type Condition = readonly unknown[] | Readonly<Record<string, unknown>>;

/** A parsed, signature-checked policy whose remaining checks need the file size. */
export interface AcceptedPolicy {
  readonly lengthRange?: { readonly min: number; readonly max: number };
}

// Fields S3 never expects the policy to cover.
// https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-HTTPPOSTConstructPolicy.html
const UNCOVERED = new Set(['x-amz-signature', 'file', 'policy', 'awsaccesskeyid', 'signature']);

const denied = (message: string): S3ErrorReply => ({ status: 403, code: 'AccessDenied', message });

function signingKey(secret: string, date: string, region: string, service: string): Buffer {
  const kDate = createHmac('sha256', `AWS4${secret}`).update(date).digest();
  const kRegion = createHmac('sha256', kDate).update(region).digest();
  const kService = createHmac('sha256', kRegion).update(service).digest();
  return createHmac('sha256', kService).update('aws4_request').digest();
}

function conditionText(condition: Condition): string {
  return JSON.stringify(condition).replace(/,/g, ', ');
}

/**
 * Checks a browser POST upload against its policy the way S3 does: SigV4 signature over the
 * base64 policy, expiry, every condition (`eq`, `starts-with`, exact-match objects) and no
 * form field left uncovered. `content-length-range` is returned for {@link checkContentLength},
 * because the size is known only once the file has been read. `fields` are lower-cased names.
 */
export function checkPostPolicy(
  fields: ReadonlyMap<string, string>,
  bucket: string,
  secrets: SecretLookup,
  now: Date,
): AcceptedPolicy | S3ErrorReply {
  const policyB64 = fields.get('policy');
  if (policyB64 === undefined) {
    return denied('Access Denied');
  }
  const algorithm = fields.get('x-amz-algorithm');
  const credential = fields.get('x-amz-credential');
  const signature = fields.get('x-amz-signature');
  if (algorithm !== 'AWS4-HMAC-SHA256' || !credential || !signature || !fields.get('x-amz-date')) {
    return {
      status: 400,
      code: 'InvalidArgument',
      message:
        'Bucket POST must contain the fields x-amz-algorithm (AWS4-HMAC-SHA256), x-amz-credential, x-amz-date and x-amz-signature.',
    };
  }
  const [accessKeyId, date, region, service] = credential.split('/');
  const secret = accessKeyId ? secrets(accessKeyId) : undefined;
  if (!secret || !date || !region || !service) {
    return {
      status: 403,
      code: 'InvalidAccessKeyId',
      message: 'The AWS Access Key Id you provided does not exist in our records.',
      extra: { AWSAccessKeyId: accessKeyId ?? '' },
    };
  }
  const expected = createHmac('sha256', signingKey(secret, date, region, service))
    .update(policyB64)
    .digest();
  const given = Buffer.from(signature, 'hex');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return {
      status: 403,
      code: 'SignatureDoesNotMatch',
      message:
        'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
    };
  }

  let policy: { expiration?: unknown; conditions?: unknown };
  try {
    policy = JSON.parse(Buffer.from(policyB64, 'base64').toString('utf8')) as typeof policy;
  } catch {
    return { status: 400, code: 'InvalidPolicyDocument', message: 'Invalid Policy: Invalid JSON.' };
  }
  const expiration = typeof policy.expiration === 'string' ? Date.parse(policy.expiration) : Number.NaN;
  if (Number.isNaN(expiration)) {
    return {
      status: 400,
      code: 'InvalidPolicyDocument',
      message: 'Invalid Policy: Policy missing expiration.',
    };
  }
  if (expiration <= now.getTime()) return denied('Invalid according to Policy: Policy expired.');
  if (!Array.isArray(policy.conditions)) {
    return {
      status: 400,
      code: 'InvalidPolicyDocument',
      message: 'Invalid Policy: Policy missing conditions.',
    };
  }

  const values = new Map(fields);
  values.set('bucket', bucket);
  const covered = new Set<string>();
  let lengthRange: AcceptedPolicy['lengthRange'];
  for (const condition of policy.conditions as Condition[]) {
    if (Array.isArray(condition)) {
      const [op, rawField, rawValue] = condition as [unknown, unknown, unknown];
      const operator = String(op).toLowerCase();
      if (operator === 'content-length-range') {
        lengthRange = { min: Number(rawField), max: Number(rawValue) };
        continue;
      }
      const field = String(rawField).replace(/^\$/, '').toLowerCase();
      const actual = values.get(field) ?? '';
      covered.add(field);
      const ok =
        operator === 'eq'
          ? actual === String(rawValue)
          : operator === 'starts-with'
            ? field === 'content-type'
              ? actual.split(',').every((part) => part.trim().startsWith(String(rawValue)))
              : actual.startsWith(String(rawValue))
            : false;
      if (!ok)
        return denied(`Invalid according to Policy: Policy Condition failed: ${conditionText(condition)}`);
    } else if (condition && typeof condition === 'object') {
      for (const [rawField, expectedValue] of Object.entries(condition)) {
        const field = rawField.toLowerCase();
        covered.add(field);
        if ((values.get(field) ?? '') !== String(expectedValue)) {
          return denied(
            `Invalid according to Policy: Policy Condition failed: ${conditionText(['eq', `$${rawField}`, expectedValue])}`,
          );
        }
      }
    }
  }
  const extra = [...fields.keys()].filter(
    (field) => !UNCOVERED.has(field) && !field.startsWith('x-ignore-') && !covered.has(field),
  );
  if (extra.length > 0) return denied(`Invalid according to Policy: Extra input fields: ${extra.join(', ')}`);
  return lengthRange ? { lengthRange } : {};
}

/** Checks the uploaded size against the policy's `content-length-range`, with S3's error codes. */
export function checkContentLength(policy: AcceptedPolicy, size: number): S3ErrorReply | undefined {
  if (!policy.lengthRange) return undefined;
  if (size > policy.lengthRange.max) {
    return {
      status: 400,
      code: 'EntityTooLarge',
      message: 'Your proposed upload exceeds the maximum allowed size',
      extra: { ProposedSize: size, MaxSizeAllowed: policy.lengthRange.max },
    };
  }
  if (size < policy.lengthRange.min) {
    return {
      status: 400,
      code: 'EntityTooSmall',
      message: 'Your proposed upload is smaller than the minimum allowed size',
      extra: { ProposedSize: size, MinSizeAllowed: policy.lengthRange.min },
    };
  }
  return undefined;
}

/** True when `value` is an error reply rather than an accepted policy. */
export function isErrorReply(value: AcceptedPolicy | S3ErrorReply): value is S3ErrorReply {
  return 'code' in value;
}
