import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { FunctionCalls } from '#shared/iam';
import { REPO_ROOT } from '#tools/repo-root.ts';

/** Where a function keeps the list of its AWS calls. */
export function permissionsFile(name: string): string {
  return join('functions', name, 'permissions.ts');
}

/** Every function folder's `CALLS` (see `#shared/iam`), and the folders that have none. */
export async function loadFunctionCalls(): Promise<{
  calls: Map<string, FunctionCalls>;
  missing: string[];
}> {
  const folders = readdirSync(join(REPO_ROOT, 'functions'), { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(REPO_ROOT, 'functions', d.name, 'handler.ts')))
    .map((d) => d.name)
    .sort();
  const calls = new Map<string, FunctionCalls>();
  const missing: string[] = [];
  for (const name of folders) {
    const file = join(REPO_ROOT, permissionsFile(name));
    const module = existsSync(file) ? ((await import(file)) as { CALLS?: FunctionCalls }) : {};
    if (module.CALLS) calls.set(name, module.CALLS);
    else missing.push(name);
  }
  return { calls, missing };
}

/** Where a function's grants are, and how to grant `action` there, for failure messages. */
export function grantHint(action: string): string {
  return `${grantCall(action)} where the function is created (infra/stacks/video-pipeline-stack.ts, or infra/constructs/api.ts for an API route's)`;
}

function grantCall(action: string): string {
  const [service, name = ''] = action.split(':');
  if (service === 'dynamodb') {
    return name === 'Query'
      ? "fn.grantTable(table, { query: ['<index>'] })"
      : `fn.grantTable(table, { items: ['${name}'] })`;
  }
  if (action === 's3:GetObject') return 'fn.grantRead(bucket, [KEYS.<keys>])';
  if (action === 's3:PutObject') return 'fn.grantPut(bucket, [KEYS.<keys>])';
  if (name.endsWith('ObjectTagging')) return 'fn.grantTagging(bucket, [KEYS.<keys>])';
  if (action === 's3:ListBucket') return "fn.grantList(bucket, '<prefix>/')";
  if (name.startsWith('DeleteObject') || name === 'ListBucketVersions')
    return "fn.grantDelete(bucket, '<prefix>/')";
  if (action === 'lambda:InvokeFunction') return 'fn.grantInvoke(target, ENV.<NAME>)';
  if (service === 'mediaconvert' || service === 'elastictranscoder' || action === 'iam:PassRole') {
    return name === 'CancelJob' || name === 'GetJob' || name === 'ReadJob'
      ? 'transcoder.grantCancelJob(fn)'
      : 'transcoder.grantStartJob(fn)';
  }
  return 'fn.addToRolePolicy({ ... }) with the narrowest ARN';
}
