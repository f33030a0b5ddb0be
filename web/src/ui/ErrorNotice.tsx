import { isRetryable, messageOf } from '#web/api/errors.ts';

/** An error as the user sees it: the API's message, and a Retry button when retrying may help. */
export function ErrorNotice({
  error,
  onRetry,
  title,
}: {
  error: unknown;
  onRetry?: () => void;
  title?: string;
}) {
  return (
    <div className="notice notice-error" role="alert">
      {title && <p className="notice-title">{title}</p>}
      <p>{messageOf(error)}</p>
      {onRetry && isRetryable(error) && (
        <button type="button" className="button" onClick={onRetry}>
          Retry
        </button>
      )}
    </div>
  );
}
