import { type FormEvent, useId, useRef, useState } from 'react';
import { characterCount, DESCRIPTION_MAX_LENGTH, TITLE_MAX_LENGTH } from '#shared/video/details';
import { useUpdateVideo } from '#web/api/mutations.ts';
import type { VideoView, Visibility } from '#web/api/types.ts';
import { ErrorNotice } from '#web/ui/ErrorNotice.tsx';
import { detailsPatch, detailsProblems } from './details.ts';

/** The owner's controls on the watch page: edit title and description in place, and public/private. */
export function OwnerControls({ video }: { video: VideoView }) {
  return (
    <section className="owner" aria-labelledby="owner-heading">
      <h2 id="owner-heading">Your video</h2>
      <VisibilityControl video={video} />
      <DetailsEditor video={video} />
    </section>
  );
}

function DetailsEditor({ video }: { video: VideoView }) {
  const update = useUpdateVideo(video.videoId);
  const [editing, setEditing] = useState(false);
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const [problems, setProblems] = useState<{ title?: string; description?: string }>({});
  const [saved, setSaved] = useState('');
  const editButton = useRef<HTMLButtonElement>(null);
  const titleInput = useRef<HTMLInputElement>(null);
  const descriptionInput = useRef<HTMLTextAreaElement>(null);
  const ids = { title: useId(), description: useId(), titleHelp: useId(), descriptionHelp: useId() };

  const open = () => {
    setTitle(video.title ?? video.filename ?? '');
    setDescription(video.description ?? '');
    setProblems({});
    setSaved('');
    update.reset();
    setEditing(true);
  };
  const close = () => {
    setEditing(false);
    // The form is gone; give the focus back to what opened it, once it is rendered again.
    requestAnimationFrame(() => editButton.current?.focus());
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const patch = detailsPatch(video, { title, description });
    const found = detailsProblems(patch);
    setProblems(found);
    if (found.title) return titleInput.current?.focus();
    if (found.description) return descriptionInput.current?.focus();
    if (patch.title === undefined && patch.description === undefined) return close();
    update.mutate(patch, {
      onSuccess: () => {
        setSaved('Saved.');
        close();
      },
    });
  };

  if (!editing) {
    return (
      <div className="details-view">
        <button ref={editButton} type="button" className="button" onClick={open}>
          Edit details
        </button>
        <span role="status" className="hint">
          {saved}
        </span>
      </div>
    );
  }
  const titleLength = characterCount(title.trim());
  const descriptionLength = characterCount(description);
  return (
    <form className="details-form" onSubmit={submit} noValidate>
      <div className="field">
        <label htmlFor={ids.title}>Title</label>
        <input
          ref={titleInput}
          id={ids.title}
          type="text"
          value={title}
          onChange={(event) => setTitle(event.currentTarget.value)}
          aria-invalid={problems.title ? true : undefined}
          aria-describedby={ids.titleHelp}
          autoComplete="off"
        />
        <p id={ids.titleHelp} className={problems.title ? 'hint text-error' : 'hint'}>
          {problems.title ?? `${titleLength} of ${TITLE_MAX_LENGTH} characters`}
        </p>
      </div>
      <div className="field">
        <label htmlFor={ids.description}>Description</label>
        <textarea
          ref={descriptionInput}
          id={ids.description}
          rows={5}
          value={description}
          onChange={(event) => setDescription(event.currentTarget.value)}
          aria-invalid={problems.description ? true : undefined}
          aria-describedby={ids.descriptionHelp}
        />
        <p id={ids.descriptionHelp} className={problems.description ? 'hint text-error' : 'hint'}>
          {problems.description ?? `${descriptionLength} of ${DESCRIPTION_MAX_LENGTH} characters`}
        </p>
      </div>
      {update.isError && <ErrorNotice error={update.error} title="Your changes were not saved." />}
      <div className="form-actions">
        <button type="submit" className="button button-primary" aria-disabled={update.isPending}>
          {update.isPending ? 'Saving…' : 'Save'}
        </button>
        <button type="button" className="button" onClick={close}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function VisibilityControl({ video }: { video: VideoView }) {
  const update = useUpdateVideo(video.videoId);
  const id = useId();
  const helpId = useId();
  const shown: Visibility = update.isPending
    ? (update.variables?.visibility ?? video.visibility)
    : video.visibility;
  return (
    <div className="field">
      <label htmlFor={id}>Visibility</label>
      <select
        id={id}
        value={shown}
        aria-describedby={helpId}
        onChange={(event) => {
          const visibility: Visibility = event.currentTarget.value === 'private' ? 'private' : 'public';
          if (!update.isPending && visibility !== video.visibility) update.mutate({ visibility });
        }}
      >
        <option value="public">Public</option>
        <option value="private">Private</option>
      </select>
      <p id={helpId} className="hint" role="status">
        {update.isPending
          ? 'Saving…'
          : shown === 'private'
            ? 'Private: only you can see and play this video.'
            : 'Public: everyone signed in can find it in the library.'}
      </p>
      {update.isError && <ErrorNotice error={update.error} title="The visibility was not changed." />}
    </div>
  );
}
