/**
 * Re-delivers the dead letters of one function: every event its on-failure destination queue holds
 * goes to the function again as an asynchronous invoke, and leaves the queue once Lambda accepted it.
 *
 *   npm run redrive -- transcode-video                     # the local cloud `npm start` runs
 *   npm run redrive -- 24hv-dev-transcode-video --aws      # a deployed stack, with your AWS credentials
 *
 * Without `--aws` and without AWS settings in the environment, it reaches the running `npm start`
 * through `.local-cloud/cloud.json`; otherwise the SDK's usual configuration applies (profile,
 * region, `AWS_ENDPOINT_URL_LAMBDA`/`AWS_ENDPOINT_URL_SQS`). Exit status: 0 when everything was
 * redriven (or nothing waited), 1 when messages were left in the queue, 2 when it could not start.
 */
import { LambdaClient } from '@aws-sdk/client-lambda';
import { SQSClient } from '@aws-sdk/client-sqs';
import { RedriveError, type RedriveOutcome, redriveDeadLetters } from '#local/redrive';
import { CLOUD_STATE_FILE, localFunctionName, readCloudState } from '#local/state';
import { parseRedriveArgs, REDRIVE_USAGE, UsageError } from './args.ts';

/** Environment variables that say the SDK is configured for somewhere else than the local cloud. */
const AWS_SETTINGS = [
  'AWS_PROFILE',
  'AWS_ACCESS_KEY_ID',
  'AWS_ENDPOINT_URL',
  'AWS_ENDPOINT_URL_LAMBDA',
  'AWS_ENDPOINT_URL_SQS',
] as const;

function describe(outcome: RedriveOutcome): string {
  switch (outcome.kind) {
    case 'redriven':
      return `  redriven  ${outcome.messageId}${outcome.requestId ? ` (first request ${outcome.requestId})` : ''}`;
    case 'failed':
      return `  failed    ${outcome.messageId}: ${outcome.error} (left in the queue)`;
    case 'skipped':
      return `  skipped   ${outcome.messageId}: ${outcome.reason} (left in the queue)`;
  }
}

async function main(): Promise<number> {
  // The tool runs on whatever Node is here; the SDK's upgrade notice is noise in its report.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const args = parseRedriveArgs(process.argv.slice(2));
  if (args.help) {
    console.log(REDRIVE_USAGE);
    return 0;
  }
  const configured = AWS_SETTINGS.some((name) => process.env[name]);
  const state = args.aws || configured ? undefined : readCloudState();
  if (!args.aws && !configured && !state) {
    throw new UsageError(
      `No local cloud is running (${CLOUD_STATE_FILE} is missing or stale): start one with npm start, or pass --aws to redrive a deployed function.`,
    );
  }
  const local = state && {
    region: state.region,
    credentials: state.credentials,
  };
  const lambda = new LambdaClient({ ...local, ...(state && { endpoint: state.endpoints.lambda }) });
  const sqs = new SQSClient({ ...local, ...(state && { endpoint: state.endpoints.sqs }) });
  const functionName = state ? localFunctionName(state, args.functionName) : args.functionName;
  if (functionName === undefined) {
    throw new UsageError(
      `The local cloud has no single function "${args.functionName}"; it has ${state?.functions.join(', ')}.`,
    );
  }
  try {
    console.log(`Redriving the dead letters of ${functionName}${state ? ' on the local cloud' : ''}…`);
    const report = await redriveDeadLetters({
      functionName,
      lambda,
      sqs,
      ...(args.max !== undefined && { max: args.max }),
      onOutcome: (outcome) => console.log(describe(outcome)),
    });
    const count = (kind: RedriveOutcome['kind']) => report.outcomes.filter((o) => o.kind === kind).length;
    const left = count('failed') + count('skipped');
    console.log(
      report.outcomes.length === 0
        ? `Nothing to redrive: ${report.queueUrl} is empty.`
        : `${count('redriven')} redriven to ${report.functionArn}, ${left} left in ${report.queueUrl}.`,
    );
    return left === 0 ? 0 : 1;
  } finally {
    lambda.destroy();
    sqs.destroy();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    const known = error instanceof UsageError || error instanceof RedriveError;
    console.error(known ? (error as Error).message : error);
    process.exit(2);
  },
);
