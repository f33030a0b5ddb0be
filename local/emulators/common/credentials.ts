/** Credentials every local client signs with; the S3 emulator verifies signatures against them. */
export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' } as const;
