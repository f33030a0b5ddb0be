export { type S3Resources, s3FromStack } from './from-stack.ts';
export type { CorsRule } from './gateway.ts';
export type { NotificationConfig, NotificationTarget } from './notifications.ts';
export { type LocalS3, type S3Notification, startS3 } from './server.ts';
