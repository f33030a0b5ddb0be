import { statSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { TRANSCODER_BACKENDS, type TranscoderBackend } from '#shared/transcoder/port';

/** Usage line of `npm run pipeline`. */
export const PIPELINE_USAGE =
  'usage: npm run pipeline -- <file> [--transcoder elastic-transcoder|mediaconvert] [--full-ladder] [--json] [--timeout <seconds>]';
/** Usage line of `npm start`. */
export const START_USAGE =
  'usage: npm start [-- <video file>] [--transcoder elastic-transcoder|mediaconvert]';

/** Usage line of `npm run redrive`. */
export const REDRIVE_USAGE =
  'usage: npm run redrive -- <function> [--aws] [--max <messages>]   (e.g. transcode-video, or 24hv-dev-transcode-video --aws)';

/** The command line is wrong; the message says what to change and is printed without a stack. */
export class UsageError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'UsageError';
  }
}

/** What `npm run pipeline` was asked to do. */
export interface PipelineArgs {
  readonly help: boolean;
  readonly file: string;
  readonly backend: TranscoderBackend;
  readonly json: boolean;
  readonly timeoutMs: number;
  /** Every rendition whatever the source (`RENDITION_LADDER=full`), to compare with the source-aware ladder. */
  readonly fullLadder: boolean;
}

/** What `npm start` was asked to do; no file means a generated sample. */
export interface StartArgs {
  readonly file: string | undefined;
  readonly backend: TranscoderBackend;
}

/** Parses and checks `npm run pipeline`'s arguments; every mistake is a {@link UsageError}. */
export function parsePipelineArgs(argv: readonly string[], defaultBackend: TranscoderBackend): PipelineArgs {
  const { values, positionals } = parseOrExplain(PIPELINE_USAGE, () =>
    parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        transcoder: { type: 'string', default: defaultBackend },
        json: { type: 'boolean', default: false },
        'full-ladder': { type: 'boolean', default: false },
        timeout: { type: 'string', default: '900' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }),
  );
  if (values.help) {
    return { help: true, file: '', backend: defaultBackend, json: false, timeoutMs: 0, fullLadder: false };
  }
  const [file] = positionals;
  if (!file || positionals.length > 1)
    throw new UsageError(`Give exactly one video file.\n${PIPELINE_USAGE}`);
  const backend = checkBackend(values.transcoder);
  checkFile(file);
  const timeoutMs = Number(values.timeout) * 1000;
  if (!(timeoutMs > 0)) {
    throw new UsageError(`--timeout must be a positive number of seconds, got "${values.timeout}".`);
  }
  return { help: false, file, backend, json: values.json, timeoutMs, fullLadder: values['full-ladder'] };
}

/** What `npm run redrive` was asked to do. */
export interface RedriveArgs {
  readonly help: boolean;
  /** As given: a physical name, an ARN, or (on the local cloud) the short name `transcode-video`. */
  readonly functionName: string;
  /** Use the SDK's own configuration (a deployed stack) even when a local cloud runs. */
  readonly aws: boolean;
  readonly max?: number;
}

/** Parses and checks `npm run redrive`'s arguments; every mistake is a {@link UsageError}. */
export function parseRedriveArgs(argv: readonly string[]): RedriveArgs {
  const { values, positionals } = parseOrExplain(REDRIVE_USAGE, () =>
    parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        aws: { type: 'boolean', default: false },
        max: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }),
  );
  if (values.help) return { help: true, functionName: '', aws: false };
  const [functionName] = positionals;
  if (!functionName || positionals.length > 1) {
    throw new UsageError(`Name exactly one function whose dead letters to redrive.\n${REDRIVE_USAGE}`);
  }
  const max = values.max === undefined ? undefined : Number(values.max);
  if (max !== undefined && !(Number.isInteger(max) && max > 0)) {
    throw new UsageError(`--max must be a whole number of messages from 1, got "${values.max}".`);
  }
  return { help: false, functionName, aws: values.aws, ...(max !== undefined && { max }) };
}

/** Parses and checks `npm start`'s arguments; every mistake is a {@link UsageError}. */
export function parseStartArgs(argv: readonly string[], defaultBackend: TranscoderBackend): StartArgs {
  const { values, positionals } = parseOrExplain(START_USAGE, () =>
    parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: { transcoder: { type: 'string', default: defaultBackend } },
    }),
  );
  if (positionals.length > 1) throw new UsageError(`Give at most one video file.\n${START_USAGE}`);
  const backend = checkBackend(values.transcoder);
  const [file] = positionals;
  if (file !== undefined) checkFile(file);
  return { file, backend };
}

function parseOrExplain<T>(usage: string, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    // node:util parseArgs throws TypeErrors coded ERR_PARSE_ARGS_* for unknown or malformed options.
    if ((error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      throw new UsageError(`${(error as Error).message}\n${usage}`, { cause: error });
    }
    throw error;
  }
}

function checkBackend(value: string): TranscoderBackend {
  if (!(TRANSCODER_BACKENDS as readonly string[]).includes(value)) {
    throw new UsageError(`--transcoder must be one of ${TRANSCODER_BACKENDS.join(', ')}, got "${value}".`);
  }
  return value as TranscoderBackend;
}

function checkFile(file: string): void {
  const stats = statSync(file, { throwIfNoEntry: false });
  if (!stats) throw new UsageError(`${file} does not exist; give the path of a video file.`);
  if (!stats.isFile()) throw new UsageError(`${file} is not a file; give the path of a video file.`);
}
