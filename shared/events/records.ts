import { RecordBatchError, type RecordFailure } from './errors.ts';

/**
 * Runs `fn` on every record, one after another, even when some fail; then, if any failed, throws a
 * {@link RecordBatchError} listing them, so the invocation fails and is retried without one bad
 * record having stopped the others. Handlers must therefore be idempotent, as every writer here is.
 */
export async function forEachRecord<T>(
  records: readonly T[],
  fn: (record: T, index: number) => Promise<void> | void,
): Promise<void> {
  const failures: RecordFailure<T>[] = [];
  for (const [index, record] of records.entries()) {
    try {
      await fn(record, index);
    } catch (error) {
      failures.push({ index, record, error });
    }
  }
  if (failures.length > 0) throw new RecordBatchError(failures, records.length);
}
