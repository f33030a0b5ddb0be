import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { Root, startLoadingConfig } from '#web/app/Root.tsx';
import './app/app.css';

// Both start before the first render, so neither waits for the other: no waterfall.
const initial = startLoadingConfig();
const app = import('#web/app/App.tsx');
const container = document.getElementById('root');
if (container) {
  createRoot(container).render(
    <StrictMode>
      <Root initial={initial} app={app} />
    </StrictMode>,
  );
}
