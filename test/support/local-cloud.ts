import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import type { LocalCloud } from '#local/cloud';

/** Downloads an object of the local cloud to `dir`, returning the path and the bytes. */
export async function download(
  cloud: LocalCloud,
  bucket: string,
  key: string,
  dir: string,
): Promise<{ path: string; bytes: Buffer }> {
  const object = await cloud.clients.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  const bytes = Buffer.from(
    await (object.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray(),
  );
  const path = join(dir, key.replace(/[/]/g, '_'));
  await writeFile(path, bytes);
  return { path, bytes };
}

/** Types of the top-level ISO BMFF boxes of an MP4, in file order. */
export function topLevelBoxes(mp4: Buffer): string[] {
  const boxes: string[] = [];
  let offset = 0;
  while (offset + 8 <= mp4.length) {
    let size = mp4.readUInt32BE(offset);
    const type = mp4.toString('latin1', offset + 4, offset + 8);
    if (size === 1) size = Number(mp4.readBigUInt64BE(offset + 8));
    if (size === 0) size = mp4.length - offset;
    boxes.push(type);
    if (size < 8) break;
    offset += size;
  }
  return boxes;
}

/** Records every transcoder job the cloud starts, by video id. */
export function jobRecorder(cloud: LocalCloud): { jobsOf(videoId: string): string[]; stop(): void } {
  const jobs = new Map<string, Set<string>>();
  const listener = (event: { kind: string; videoId?: string; jobId?: string }) => {
    if (event.kind !== 'job' || !event.videoId || !event.jobId) return;
    jobs.set(event.videoId, (jobs.get(event.videoId) ?? new Set()).add(event.jobId));
  };
  cloud.events.on('progress', listener);
  return {
    jobsOf: (videoId) => [...(jobs.get(videoId) ?? [])],
    stop: () => cloud.events.off('progress', listener),
  };
}
