import { GetObjectTaggingCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import type { LocalCloud, ProgressEvent } from '#local/cloud';
import { PUBLIC_TAG } from '#shared/video';

/** One job of a video as the transcoder emulators reported it: created, then (maybe) ended. */
export interface JobRecord {
  readonly jobId: string;
  readonly createdAt: number;
  endedAt?: number;
  endedAs?: string;
}

const ENDED = /^(complete|error|canceled)$/i;

/**
 * Every job the cloud's transcoder creates, per video, in creation order, with how each ended: what
 * "never a second job" is checked against (each job created only after the one before it ended).
 */
export function jobLedger(cloud: LocalCloud): { jobsOf(videoId: string): JobRecord[]; stop(): void } {
  const jobs = new Map<string, JobRecord[]>();
  const listener = (event: ProgressEvent) => {
    if (event.kind !== 'job' || !event.videoId) return;
    const list = jobs.get(event.videoId) ?? [];
    let job = list.find((j) => j.jobId === event.jobId);
    if (!job) {
      job = { jobId: event.jobId, createdAt: Date.now() };
      list.push(job);
      jobs.set(event.videoId, list);
    }
    if (ENDED.test(event.status) && job.endedAt === undefined) {
      job.endedAt = Date.now();
      job.endedAs = event.status.toUpperCase();
    }
  };
  cloud.events.on('progress', listener);
  return {
    jobsOf: (videoId) => [...(jobs.get(videoId) ?? [])],
    stop: () => cloud.events.off('progress', listener),
  };
}

/** True when no two jobs of the list overlapped: each started only after the one before it had ended. */
export function oneJobAtATime(jobs: readonly JobRecord[]): boolean {
  return jobs.every((job, i) => {
    const previous = jobs[i - 1];
    return previous === undefined || (previous.endedAt !== undefined && previous.endedAt <= job.createdAt);
  });
}

/** Keys under `prefix` in `bucket` that carry the `visibility=public` tag, i.e. that CloudFront would serve. */
export async function publicObjects(cloud: LocalCloud, bucket: string, prefix: string): Promise<string[]> {
  const listed = await cloud.clients.s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }));
  const tagged: string[] = [];
  for (const object of listed.Contents ?? []) {
    if (!object.Key) continue;
    const { TagSet = [] } = await cloud.clients.s3.send(
      new GetObjectTaggingCommand({ Bucket: bucket, Key: object.Key }),
    );
    if (TagSet.some((tag) => tag.Key === PUBLIC_TAG.key && tag.Value === PUBLIC_TAG.value))
      tagged.push(object.Key);
  }
  return tagged;
}

/** Lines of the recovery table the fault suite prints: fault, outcome, time to recover, what recovered it. */
export class RecoveryTable {
  private readonly rows: string[][] = [];

  add(row: { fault: string; outcome: string; ms: number; recovery: string }): void {
    this.rows.push([row.fault, row.outcome, `${(row.ms / 1000).toFixed(1)} s`, row.recovery]);
  }

  toString(): string {
    const header = ['fault', 'ended as', 'upload → end', 'recovered by'];
    return [header, ...this.rows].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
  }
}
