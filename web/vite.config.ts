import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

/**
 * The app is written against React's API (`react`, `react-dom`, their types) and ships on Preact's
 * implementation of it through `preact/compat`: react-dom alone is ~64 KB gzip, which with the OIDC
 * client and TanStack Query leaves no room under the 100 KB budget for the first library page, and
 * Preact does the same job in ~10 KB. `WEB_RUNTIME=react npm run build:web` builds on React itself
 * (the browser test passes on both).
 * https://preactjs.com/guide/v10/switching-to-preact
 */
const PREACT_COMPAT = [
  { find: /^react$/, replacement: 'preact/compat' },
  { find: /^react-dom$/, replacement: 'preact/compat' },
  { find: /^react-dom\/client$/, replacement: 'preact/compat/client' },
  { find: /^react\/jsx-runtime$/, replacement: 'preact/compat/jsx-runtime' },
  { find: /^react\/jsx-dev-runtime$/, replacement: 'preact/compat/jsx-dev-runtime' },
];

/**
 * The web app's build. JSX goes through Vite's built-in oxc transform (the automatic runtime), so no
 * React plugin is needed. `npm run dev:web` proxies `/config.json` to a running local cloud.
 */
export default defineConfig({
  root,
  publicDir: 'public',
  oxc: { jsx: { runtime: 'automatic' } },
  resolve: { alias: process.env.WEB_RUNTIME === 'react' ? [] : PREACT_COMPAT },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    // Every browser the app supports has modulepreload; the polyfill would only add bytes.
    modulePreload: { polyfill: false },
    rolldownOptions: {
      onLog(level, log, handler) {
        // Libraries mark their modules "use client" for React Server Components; this app has none.
        if (log.code === 'MODULE_LEVEL_DIRECTIVE') return;
        handler(level, log);
      },
    },
  },
  server: {
    host: '127.0.0.1',
    port: 5173,
    strictPort: true,
    proxy: { '/config.json': process.env.LOCAL_WEB_URL ?? 'http://127.0.0.1:4173' },
  },
});
