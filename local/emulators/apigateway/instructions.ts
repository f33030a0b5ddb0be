import { DEV_USER } from '#local/emulators/cognito';
import type { LocalCloudApi } from './cloud-api.ts';

/** How long the token `npm start` prints stays valid: a working day, so a session needs one. */
export const DEV_TOKEN_TTL_SECONDS = 12 * 3600;

/**
 * What `npm start` prints about the local API: its URL, a token for the development user and curl
 * commands that list videos and upload a file through a presigned POST (the last needs `jq`).
 */
export async function localApiInstructions(api: LocalCloudApi): Promise<string> {
  const token = await api.identity.issueToken(DEV_USER, { expiresInSeconds: DEV_TOKEN_TTL_SECONDS });
  return `
HTTP API     ${api.endpoint}   (CORS origins ${api.allowedOrigins.join(', ')}; routes POST /uploads, GET /videos, GET /videos/{videoId})
  Signed in as ${DEV_USER.email} (sub ${DEV_USER.sub}); this token is valid for ${DEV_TOKEN_TTL_SECONDS / 3600} h:
  export API=${api.endpoint}
  export TOKEN=${token}
  curl -s -H "Authorization: Bearer $TOKEN" "$API/videos?mine=true"
  curl -s -H "Authorization: Bearer $TOKEN" -H 'content-type: application/json' \\
    -d "{\\"filename\\":\\"clip.mp4\\",\\"contentType\\":\\"video/mp4\\",\\"size\\":$(stat -c%s clip.mp4)}" "$API/uploads" > ticket.json
  curl -s "$(jq -r .url ticket.json)" $(jq -r '.fields | to_entries[] | "--form-string \\(.key)=\\(.value)"' ticket.json) -F file=@clip.mp4
  curl -s -H "Authorization: Bearer $TOKEN" "$API/videos/$(jq -r .videoId ticket.json)"
`;
}
