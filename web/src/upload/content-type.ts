import { extensionOf, isVideoContentType } from '#shared/video/upload-rules';

// Browsers report no type, or a non-video one (".mts" as "model/vnd.mts"), for some accepted files.
const BY_EXTENSION: Readonly<Record<string, string>> = {
  '.mp4': 'video/mp4',
  '.m4v': 'video/x-m4v',
  '.mov': 'video/quicktime',
  '.mkv': 'video/x-matroska',
  '.webm': 'video/webm',
  '.avi': 'video/x-msvideo',
  '.mpg': 'video/mpeg',
  '.mpeg': 'video/mpeg',
  '.3gp': 'video/3gpp',
  '.mts': 'video/mp2t',
};

/** The content type to declare for a file: the browser's when it is a video type, else the extension's. */
export function uploadContentType(file: { readonly name: string; readonly type: string }): string {
  if (isVideoContentType(file.type)) return file.type;
  return BY_EXTENSION[extensionOf(file.name)] ?? (file.type || 'application/octet-stream');
}
