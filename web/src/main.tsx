import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from '#web/app/App.tsx';
import { Root, startLoadingConfig } from '#web/app/Root.tsx';
import { prefetchLibrary } from '#web/app/session.ts';
import './app/app.css';

// The config (preloaded by index.html) and the app's modules (modulepreloaded) arrive side by side.
const initial = startLoadingConfig();
const app = Promise.resolve({ App });
void initial.then((loaded) => {
  if (loaded.ok) void prefetchLibrary(loaded.config, window.location.pathname);
});
const container = document.getElementById('root');
if (container) {
  createRoot(container).render(
    <StrictMode>
      <Root initial={initial} app={app} />
    </StrictMode>,
  );
}
