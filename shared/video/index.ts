export * from './status.ts';
export * from './renditions.ts';
export * from './video-id.ts';
export * from './layout.ts';
export * from './inputs.ts';
