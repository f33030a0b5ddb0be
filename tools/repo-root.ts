import { fileURLToPath } from 'node:url';

/** The repository root, without a trailing slash (this file is `tools/repo-root.ts`). */
export const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url)).replace(/\/$/, '');
