/** Environment a deployed API function sees: its config plus throwaway role credentials for signing. */
export const API_FUNCTION_ENV: Readonly<Record<string, string>> = {
  VIDEO_TABLE_NAME: 'videos-table',
  UPLOAD_BUCKET_NAME: 'upload-bucket',
  TRANSCODED_BUCKET_NAME: 'transcoded-bucket',
  MAX_UPLOAD_BYTES: '1000000',
  ALLOWED_ORIGIN: 'https://app.example.test',
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'ASIAFUNCTIONROLE',
  AWS_SECRET_ACCESS_KEY: 'role-secret',
  AWS_SESSION_TOKEN: 'role-session',
  POWERTOOLS_LOG_LEVEL: 'SILENT',
};

/**
 * Sets `vars` in `process.env` and returns a function that restores what was there. Handlers read
 * their config at module load, so set it before the first `import()` of a handler.
 */
export function setEnv(vars: Readonly<Record<string, string>>): () => void {
  const previous = Object.fromEntries(Object.keys(vars).map((name) => [name, process.env[name]]));
  Object.assign(process.env, vars);
  return () => {
    for (const [name, value] of Object.entries(previous)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
}
