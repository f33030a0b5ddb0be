import { readFileSync } from 'node:fs';

const EVENTS_DIR = new URL('../fixtures/events/', import.meta.url);

/**
 * A fresh copy of `test/fixtures/events/<name>.json`, parsed on every call, so a test may mutate
 * what it gets without leaking into other tests.
 */
export function loadEventFixture<T = unknown>(name: string): T {
  return JSON.parse(readFileSync(new URL(`${name}.json`, EVENTS_DIR), 'utf8')) as T;
}
