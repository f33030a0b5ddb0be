import { useEffect, useId, useRef } from 'react';
import { ErrorNotice } from '#web/ui/ErrorNotice.tsx';

/**
 * Asks before a delete, naming the video. A native modal `<dialog>`: it traps focus, Escape cancels,
 * and Cancel has the focus so a stray Enter deletes nothing.
 */
export function DeleteDialog({
  title,
  pending,
  error,
  onConfirm,
  onCancel,
}: {
  title: string;
  pending: boolean;
  error: unknown;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const cancelButton = useRef<HTMLButtonElement>(null);
  const headingId = useId();
  const bodyId = useId();
  useEffect(() => {
    const element = dialog.current;
    if (element && !element.open) element.showModal();
    cancelButton.current?.focus();
    return () => element?.close();
  }, []);
  return (
    <dialog
      ref={dialog}
      className="dialog"
      aria-labelledby={headingId}
      aria-describedby={bodyId}
      onCancel={(event) => {
        event.preventDefault();
        if (!pending) onCancel();
      }}
    >
      <h2 id={headingId}>Delete video?</h2>
      <p id={bodyId}>“{title}” will be deleted with all its files. This cannot be undone.</p>
      {error !== undefined && error !== null && <ErrorNotice error={error} />}
      <div className="dialog-actions">
        <button ref={cancelButton} type="button" className="button" onClick={onCancel} disabled={pending}>
          Cancel
        </button>
        <button type="button" className="button button-danger" onClick={onConfirm} aria-disabled={pending}>
          {pending ? 'Deleting…' : 'Delete'}
        </button>
      </div>
    </dialog>
  );
}
