import { Component, type ErrorInfo, type ReactNode } from 'react';

interface State {
  readonly error: unknown;
}

/** True for a lazy view's chunk that did not download (offline, or a deploy replaced it). */
function isChunkLoadError(error: unknown): boolean {
  return (
    error instanceof TypeError &&
    /dynamically imported module|Importing a module script failed/i.test(error.message)
  );
}

/**
 * Catches what a view throws while rendering and shows a friendly message with a way forward, never
 * a stack trace. The details go to the console for whoever debugs it.
 */
export class ErrorBoundary extends Component<{ children: ReactNode }, State> {
  override state: State = { error: undefined };

  static getDerivedStateFromError(error: unknown): State {
    return { error: error ?? new Error('unknown error') };
  }

  override componentDidCatch(error: unknown, info: ErrorInfo): void {
    console.error('view crashed', error, info.componentStack);
  }

  override render(): ReactNode {
    if (this.state.error === undefined) return this.props.children;
    const offline = isChunkLoadError(this.state.error);
    return (
      <div className="notice notice-error" role="alert">
        <p className="notice-title">
          {offline ? 'This page could not be loaded.' : 'Something went wrong on this page.'}
        </p>
        <p>
          {offline
            ? 'The app could not download this part of itself. Check your connection, then reload.'
            : 'The app hit a problem it did not expect. Reloading usually helps; your uploads and videos are safe.'}
        </p>
        <button type="button" className="button" onClick={() => window.location.reload()}>
          Reload
        </button>
      </div>
    );
  }
}
