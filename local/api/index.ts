export * from './authorizer.ts';
export * from './event.ts';
export * from './instructions.ts';
export * from './server.ts';
export * from './stack.ts';
