// The local Lambda "container": one child process per warm function instance. It imports the
// function's bundle once (the cold start) and runs one invocation at a time, like the Node.js
// runtime's bootstrap. Plain JavaScript so no TypeScript loader runs inside the container.
import { pathToFileURL } from 'node:url';

const [modulePath, exportName = 'handler'] = process.argv.slice(2);

const serializeError = (error) =>
  error instanceof Error
    ? { errorType: error.name, errorMessage: error.message, stackTrace: (error.stack ?? '').split('\n') }
    : { errorType: 'Error', errorMessage: String(error), stackTrace: [] };

let handlerPromise;
// A failed init is not kept: Lambda starts the next invocation in a fresh environment, which loads
// the bundle again.
const loadHandler = () => {
  handlerPromise ??= import(`${pathToFileURL(modulePath).href}?load=${Date.now()}`).then((mod) => {
    const handler = mod[exportName];
    if (typeof handler !== 'function') {
      throw new Error(`${modulePath} does not export a function named "${exportName}".`);
    }
    return handler;
  });
  handlerPromise.catch(() => {
    handlerPromise = undefined;
  });
  return handlerPromise;
};

process.on('message', async (message) => {
  if (message?.type !== 'invoke') return;
  const deadline = Date.now() + message.timeoutMs;
  const context = {
    functionName: message.functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: message.functionArn,
    memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
    awsRequestId: message.requestId,
    logGroupName: process.env.AWS_LAMBDA_LOG_GROUP_NAME,
    logStreamName: 'local',
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done() {},
    fail() {},
    succeed() {},
  };
  try {
    const handler = await loadHandler();
    const result = await handler(message.event, context);
    process.send({ type: 'result', requestId: message.requestId, ok: true, result: result ?? null });
  } catch (error) {
    process.send({ type: 'result', requestId: message.requestId, ok: false, error: serializeError(error) });
  }
});

// A rejection nobody awaited kills a real Lambda invocation; report it and exit so the runner restarts us.
process.on('unhandledRejection', (reason) => {
  process.send?.({ type: 'crash', error: serializeError(reason) });
  process.exit(1);
});

// The runner alone ends a container: a Ctrl-C reaches the whole process group, and the runner decides
// what to cancel. A runner that is gone (it crashed, or was killed) leaves no container behind.
process.on('SIGINT', () => {});
process.on('disconnect', () => process.exit(0));

process.send({ type: 'ready' });
