import type { InvokePermission } from './from-stack.ts';

/**
 * Why AWS would refuse to invoke `functionArn` with an event from `origin` (`s3:<bucket>`, a topic
 * ARN, `rule/<name>`), or undefined when a permission allows it or the origin is not a service.
 */
export function invokeRefusal(
  permissions: readonly InvokePermission[],
  functionArn: string,
  origin: string,
  context: { readonly region: string; readonly account: string },
): string | undefined {
  const source = serviceSource(origin, context);
  if (!source) return undefined;
  const functionName = functionArn.split(':function:').pop() as string;
  const allowed = permissions.some(
    (p) =>
      p.functionName === functionName &&
      p.principal === source.principal &&
      (p.sourceArn === undefined || arnLike(p.sourceArn, source.arn)),
  );
  if (allowed) return undefined;
  return `no aws_lambda_permission in the stack lets ${source.principal} invoke ${functionName} from ${source.arn}; AWS would refuse this invocation. Grant it with BundledFunction.allowInvoke.`;
}

function serviceSource(
  origin: string,
  { region, account }: { readonly region: string; readonly account: string },
): { principal: string; arn: string } | undefined {
  if (origin.startsWith('s3:'))
    return { principal: 's3.amazonaws.com', arn: `arn:aws:s3:::${origin.slice(3)}` };
  if (origin.startsWith('arn:aws:sns:')) return { principal: 'sns.amazonaws.com', arn: origin };
  if (origin.startsWith('rule/')) {
    return { principal: 'events.amazonaws.com', arn: `arn:aws:events:${region}:${account}:${origin}` };
  }
  return undefined;
}

/** IAM's ArnLike: `*` matches any run of characters, `?` one. */
function arnLike(pattern: string, arn: string): boolean {
  const regex = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${regex}$`).test(arn);
}
