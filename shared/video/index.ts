export * from './details.ts';
export * from './layout.ts';
export * from './renditions.ts';
export * from './status.ts';
export * from './upload-rules.ts';
export * from './video-id.ts';
export * from './visibility.ts';
