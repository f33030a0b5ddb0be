// Kept so `job-states.ts` and the index import the parser from one place; the parser lives with the adapter.
export { parseMediaConvertEvent } from './mediaconvert/events.ts';
