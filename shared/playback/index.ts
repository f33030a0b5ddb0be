export * from './urls.ts';
export * from './view.ts';
