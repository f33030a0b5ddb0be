import { descriptionProblem, titleProblem } from '#shared/video/details-rules';
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
  const title = patch.title === undefined ? undefined : titleProblem(patch.title);
  const description = patch.description === undefined ? undefined : descriptionProblem(patch.description);
  return { ...(title ? { title } : {}), ...(description ? { description } : {}) };
}
