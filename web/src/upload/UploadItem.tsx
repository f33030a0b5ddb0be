import type { ReactNode } from 'react';
import { Link } from 'wouter';
import { useVideo } from '#web/api/live.ts';
import { ErrorNotice } from '#web/ui/ErrorNotice.tsx';
import { formatBytes, formatRate, percent, videoTitle } from '#web/ui/format.ts';
import type { UploadEntry, UploadQueue } from './queue.ts';

/** A button whose visible word is completed, for assistive technology, by the file it acts on. */
function FileButton({ label, name, onClick }: { label: string; name: string; onClick: () => void }) {
  return (
    <button type="button" className="button button-small" onClick={onClick}>
      {label}
      <span className="visually-hidden"> {name}</span>
    </button>
  );
}

/** One file of the queue: its progress while it is sent, then its video's status, live. */
export function UploadItem({ entry, queue }: { entry: UploadEntry; queue: UploadQueue }) {
  const { phase, name } = entry;
  const cancel = <FileButton label="Cancel" name={name} onClick={() => queue.cancel(entry.id)} />;
  const retry = <FileButton label="Retry" name={name} onClick={() => queue.retry(entry.id)} />;
  const remove = <FileButton label="Remove" name={name} onClick={() => queue.remove(entry.id)} />;
  let body: ReactNode;
  switch (phase.kind) {
    case 'selected':
      body = <Line status="Ready to upload" actions={remove} />;
      break;
    case 'queued':
      body = <Line status="Waiting to start" actions={cancel} />;
      break;
    case 'requesting':
      body = <Line status="Preparing the upload…" actions={cancel} />;
      break;
    case 'uploading': {
      const pct = entry.size > 0 ? Math.floor((phase.loaded / entry.size) * 100) : 0;
      body = (
        <>
          <progress
            className="progress"
            value={phase.loaded}
            max={Math.max(entry.size, 1)}
            aria-label={`Uploading ${name}`}
          />
          <Line
            status="Uploading"
            detail={`${formatBytes(phase.loaded)} of ${formatBytes(entry.size)} · ${pct}% · ${formatRate(phase.bytesPerSecond)}`}
            actions={cancel}
          />
        </>
      );
      break;
    }
    case 'cancelling':
      body = <Line status="Cancelling…" />;
      break;
    case 'cancelled':
      body = (
        <Line
          status="Cancelled"
          detail={phase.note}
          actions={
            <>
              {retry}
              {remove}
            </>
          }
        />
      );
      break;
    case 'invalid':
      body = <Line status="Not uploaded" detail={phase.message} tone="error" actions={remove} />;
      break;
    case 'failed':
      body = (
        <Line
          status="Upload failed"
          detail={phase.message}
          tone="error"
          actions={
            <>
              {retry}
              {remove}
            </>
          }
        />
      );
      break;
    case 'uploaded':
      body = <Followed videoId={phase.videoId} name={name} actions={remove} />;
      break;
  }
  return (
    <li className="panel upload">
      <p className="upload-head">
        <span className="upload-name">{name}</span>
        <span className="upload-size">{formatBytes(entry.size)}</span>
        {entry.visibility === 'private' && <span className="tag">Private</span>}
      </p>
      {body}
    </li>
  );
}

/**
 * A status line. The status word sits in a polite live region, so a screen reader hears each change
 * (Uploading, Transcoding, Ready) but not every percent.
 */
function Line({
  status,
  detail,
  tone,
  actions,
}: {
  status: string;
  detail?: string | undefined;
  tone?: 'error';
  actions?: ReactNode;
}) {
  return (
    <div className="upload-line">
      <p className={tone === 'error' ? 'upload-status text-error' : 'upload-status'}>
        <span aria-live="polite">{status}</span>
        {detail && <span className="upload-detail">{detail}</span>}
      </p>
      {actions && <div className="upload-actions">{actions}</div>}
    </div>
  );
}

/** After the transfer: the video's own status, polled until it is READY, FAILED or REJECTED. */
function Followed({ videoId, name, actions }: { videoId: string; name: string; actions: ReactNode }) {
  const video = useVideo(videoId);
  if (video.isError && !video.data) {
    return (
      <>
        <Line status="Uploaded" detail="Its status could not be read." actions={actions} />
        <ErrorNotice error={video.error} onRetry={() => void video.refetch()} />
      </>
    );
  }
  const data = video.data;
  if (!data || data.status === 'UPLOADED') {
    return <Line status="Uploaded" detail="Waiting for processing to start…" actions={actions} />;
  }
  switch (data.status) {
    case 'TRANSCODING':
      return (
        <>
          <progress
            className="progress"
            value={percent(data.progress)}
            max={100}
            aria-label={`Transcoding ${name}`}
          />
          <Line status="Transcoding" detail={`${percent(data.progress)}%`} actions={actions} />
        </>
      );
    case 'READY':
      return (
        <div className="upload-line">
          <p className="upload-status text-success">
            <span aria-live="polite">Ready</span>{' '}
            <Link href={`/videos/${encodeURIComponent(videoId)}`}>Watch {videoTitle(data)}</Link>
          </p>
          <div className="upload-actions">{actions}</div>
        </div>
      );
    default:
      return (
        <Line
          status={data.status === 'REJECTED' ? 'Rejected' : 'Failed'}
          detail={data.reason ?? 'No reason was given.'}
          tone="error"
          actions={actions}
        />
      );
  }
}
