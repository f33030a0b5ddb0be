import { type ComponentType, lazy, Suspense, use, useEffect, useState } from 'react';
import { NetworkError } from '#web/api/errors.ts';
import { type AppConfig, ConfigError, loadConfig } from './config.ts';
import { ErrorBoundary } from './ErrorBoundary.tsx';

/** The signed-in app's module (sign-in, query cache, shell, library), fetched alongside `/config.json`. */
export type AppModule = Promise<{ App: ComponentType<{ config: AppConfig }> }>;

/** The config, or why there is none. */
type Loaded = { ok: true; config: AppConfig } | { ok: false; error: unknown };

/** Starts loading `/config.json`; called before React renders, so it runs alongside the bundle's start. */
export function startLoadingConfig(): Promise<Loaded> {
  return loadConfig((url, init) => window.fetch(url, init)).then(
    (config): Loaded => ({ ok: true, config }),
    (error: unknown): Loaded => ({ ok: false, error }),
  );
}

/**
 * The whole app: config first, then the signed-in app, or a page that says what is wrong. The entry
 * holds only this; the app's module and the config download side by side.
 */
export function Root({ initial, app }: { initial: Promise<Loaded>; app: AppModule }) {
  const [loading, setLoading] = useState(initial);
  const [App] = useState(() => lazy(() => app.then((m) => ({ default: m.App }))));
  return (
    <ErrorBoundary>
      <Suspense
        fallback={
          <p className="splash" role="status">
            Loading 24-Hour Video…
          </p>
        }
      >
        <Configured loading={loading} App={App} onRetry={() => setLoading(startLoadingConfig())} />
      </Suspense>
    </ErrorBoundary>
  );
}

function Configured({
  loading,
  App,
  onRetry,
}: {
  loading: Promise<Loaded>;
  App: ComponentType<{ config: AppConfig }>;
  onRetry: () => void;
}) {
  const loaded = use(loading);
  if (loaded.ok) return <App config={loaded.config} />;
  return <ConfigProblem error={loaded.error} onRetry={onRetry} />;
}

/** A missing or broken `config.json`, said plainly: what is wrong and which key. */
function ConfigProblem({ error, onRetry }: { error: unknown; onRetry: () => void }) {
  const offline = error instanceof NetworkError;
  useEffect(() => {
    document.title = `${offline ? 'Could not start' : 'Not configured'} · 24-Hour Video`;
  }, [offline]);
  const problems = error instanceof ConfigError ? error.problems : [];
  const message =
    error instanceof ConfigError || error instanceof NetworkError
      ? error.message
      : 'The configuration could not be read.';
  return (
    <main id="main" className="site-main config-problem">
      <h1>{offline ? 'The app could not start' : 'The app is not configured'}</h1>
      <div className="notice notice-error" role="alert">
        <p>{message}</p>
        {problems.length > 0 && (
          <ul>
            {problems.map((problem) => (
              <li key={problem}>{problem}</li>
            ))}
          </ul>
        )}
      </div>
      {offline ? (
        <button type="button" className="button" onClick={onRetry}>
          Retry
        </button>
      ) : (
        <p>Whoever runs this site needs to fix its config.json; the page will work once they have.</p>
      )}
    </main>
  );
}
