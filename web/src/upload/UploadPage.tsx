import { useQueryClient } from '@tanstack/react-query';
import { type DragEvent, useEffect, useId, useState, useSyncExternalStore } from 'react';
import { ACCEPTED_EXTENSIONS } from '#shared/video/upload-rules';
import { useApi } from '#web/api/context.tsx';
import type { Visibility } from '#web/api/types.ts';
import { useConfig } from '#web/app/config-context.tsx';
import { formatBytes } from '#web/ui/format.ts';
import { PageHeading } from '#web/ui/PageHeading.tsx';
import { uploadQueueFor } from './browser-queue.ts';
import { UploadItem } from './UploadItem.tsx';
import './upload.css';

const ACCEPT = ['video/*', ...ACCEPTED_EXTENSIONS].join(',');

/** Keeps a file dropped beside the zone from replacing the app with the file. */
function useNoStrayDrops() {
  useEffect(() => {
    const stop = (event: Event) => event.preventDefault();
    window.addEventListener('dragover', stop);
    window.addEventListener('drop', stop);
    return () => {
      window.removeEventListener('dragover', stop);
      window.removeEventListener('drop', stop);
    };
  }, []);
}

/** Upload: drop or pick several videos, watch each one's progress, then its status, live. */
export function UploadPage() {
  const api = useApi();
  const queryClient = useQueryClient();
  const { maxUploadBytes } = useConfig();
  const queue = uploadQueueFor(api, queryClient, maxUploadBytes);
  const entries = useSyncExternalStore(queue.subscribe, queue.getSnapshot);
  const [visibility, setVisibility] = useState<Visibility>('public');
  const [dragging, setDragging] = useState(false);
  const inputId = useId();
  const visibilityId = useId();
  const hintId = useId();
  const countId = useId();
  const selected = entries.filter((entry) => entry.phase.kind === 'selected').length;
  useNoStrayDrops();

  const onDrop = (event: DragEvent<HTMLElement>) => {
    event.preventDefault();
    setDragging(false);
    const files = [...event.dataTransfer.files];
    if (files.length > 0) queue.add(files);
  };

  return (
    <>
      <PageHeading title="Upload">Upload videos</PageHeading>
      <section
        className={dragging ? 'dropzone dropzone-active' : 'dropzone'}
        aria-label="Drop zone"
        onDragEnter={(event) => {
          event.preventDefault();
          setDragging(true);
        }}
        onDragOver={(event) => event.preventDefault()}
        onDragLeave={(event) => {
          if (!event.currentTarget.contains(event.relatedTarget as Node | null)) setDragging(false);
        }}
        onDrop={onDrop}
      >
        <p className="dropzone-text">Drag and drop video files here, or</p>
        <input
          id={inputId}
          className="file-input"
          type="file"
          multiple
          accept={ACCEPT}
          aria-describedby={hintId}
          onChange={(event) => {
            const files = [...(event.currentTarget.files ?? [])];
            if (files.length > 0) queue.add(files);
            event.currentTarget.value = '';
          }}
        />
        <label htmlFor={inputId} className="button button-primary">
          Choose video files
        </label>
        <p id={hintId} className="hint">
          {ACCEPTED_EXTENSIONS.join(', ')}
          {maxUploadBytes !== undefined ? `; up to ${formatBytes(maxUploadBytes)} each` : ''}.
        </p>
      </section>
      <div className="upload-start">
        <div className="field">
          <label htmlFor={visibilityId}>Visibility</label>
          <select
            id={visibilityId}
            value={visibility}
            onChange={(event) =>
              setVisibility(event.currentTarget.value === 'private' ? 'private' : 'public')
            }
          >
            <option value="public">Public: in the library for everyone</option>
            <option value="private">Private: only you can see it</option>
          </select>
        </div>
        <button
          type="button"
          className="button button-primary"
          aria-disabled={selected === 0}
          aria-describedby={countId}
          onClick={() => {
            if (selected > 0) queue.start(visibility);
          }}
        >
          Upload
        </button>
        <p id={countId} className="hint" aria-live="polite">
          {selected === 0
            ? 'Choose or drop files to upload.'
            : `${selected} ${selected === 1 ? 'file' : 'files'} ready to upload.`}
        </p>
      </div>
      {entries.length > 0 && (
        <section aria-labelledby="uploads-heading">
          <h2 id="uploads-heading">Your uploads</h2>
          <ul className="stack-list">
            {entries.map((entry) => (
              <UploadItem key={entry.id} entry={entry} queue={queue} />
            ))}
          </ul>
        </section>
      )}
    </>
  );
}
