export * from './reader.ts';
export * from './urls.ts';
export * from './view.ts';
