export * from './errors.ts';
export * from './handler.ts';
export * from './request.ts';
export * from './response.ts';
export * from './routes.ts';
