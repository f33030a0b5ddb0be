import type { IncomingHttpHeaders } from 'node:http';

/** The app id of the meter's own requests (stored bytes, capacity look-ups): no hook counts them. */
export const METER_APP_ID = 'local-usage';

/**
 * Who sent a request: the SDK's app id (`app/<id>` in its user agent; functions run with
 * `AWS_SDK_UA_APP_ID` set to their name, the transcoders' S3 clients carry theirs); `ffprobe` for
 * ffprobe reading a presigned URL (a function probing a rendition); else `client`.
 */
export function requesterOf(headers: IncomingHttpHeaders): string {
  const agents = [headers['x-amz-user-agent'], headers['user-agent']].flat().join(' ');
  const app = /(?:^|\s)app\/([^\s]+)/.exec(agents)?.[1];
  // Powertools appends its own marker to the app id (`<id>/PT/NO-OP/<version>/...`, escaped as `-PT-NO-OP-...`).
  if (app) return app.replace(/-PT-.*$/, '');
  return /(?:^|\s)Lavf\//.test(agents) ? 'ffprobe' : 'client';
}
