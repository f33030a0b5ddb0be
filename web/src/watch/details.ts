import { checkDescription, checkTitle } from '#shared/video/details';
import type { VideoPatch, VideoView } from '#web/api/types.ts';

/**
 * What the owner typed, as the change to send: only the fields that differ from the video. A video
 * without a title shows its filename in the form; leaving that untouched sets no title.
 */
export function detailsPatch(
  video: Pick<VideoView, 'title' | 'filename' | 'description'>,
  form: { readonly title: string; readonly description: string },
): VideoPatch {
  const title = form.title.trim();
  const description = form.description.trimEnd();
  return {
    ...(title !== (video.title ?? video.filename ?? '').trim() ? { title } : {}),
    ...(description !== (video.description ?? '') ? { description } : {}),
  };
}

/** The API's own message for each field of `patch` that it would refuse. */
export function detailsProblems(patch: VideoPatch): { title?: string; description?: string } {
  const title = patch.title === undefined ? undefined : checkTitle(patch.title);
  const description = patch.description === undefined ? undefined : checkDescription(patch.description);
  return {
    ...(title && !title.ok ? { title: title.message } : {}),
    ...(description && !description.ok ? { description: description.message } : {}),
  };
}
