import {
  GetObjectTaggingCommand,
  PutObjectCommand,
  PutObjectTaggingCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { type AwsClientStub, mockClient } from 'aws-sdk-client-mock';
import { expect } from 'chai';
import fc from 'fast-check';
import sinon from 'sinon';
import { encodeS3Key, parseS3Records } from '#shared/events';
import { DynamoVideoRepository, type MediaMetadata } from '#shared/store';
import { parseJobStates } from '#shared/transcoder';
import { RENDITIONS, renditionKey } from '#shared/video';
import { extractMetadata } from '../../functions/extract-metadata/core.ts';
import { makeRenditionPublic } from '../../functions/set-permissions/core.ts';
import { applyJobState } from '../../functions/transcode-status/core.ts';
import { transcodeUpload } from '../../functions/transcode-video/core.ts';
import { recordFinishedRendition } from '../../functions/update-video-list/core.ts';
import { type LocalVideoTable, startDynalite } from '../support/dynalite.ts';
import { fakeLogger } from '../support/pipeline-fakes.ts';

const UPLOAD_BUCKET = 'uploads-bucket';
const TRANSCODED_BUCKET = 'transcoded-bucket';
const NOW = new Date('2026-11-24T12:00:00.000Z');

const PROBE: MediaMetadata = {
  durationSeconds: 4,
  width: 1280,
  height: 720,
  rotation: 0,
  videoCodec: 'h264',
  audioCodec: 'aac',
  bitRate: 1_000_000,
  size: 500_000,
  frameRate: 25,
};

/** One event of one video, with the readiness fact it establishes (if any). */
interface PipelineEvent {
  readonly name: string;
  readonly fact?: string;
  deliver(): Promise<unknown>;
}

/** The facts READY needs: every rendition recorded, public and probed, and the job complete. */
const REQUIRED_FACTS = [
  'job-completed',
  ...RENDITIONS.flatMap((r) => [`rendition:${r}`, `public:${r}`, `probe:${r}`]),
];

function snsOf(messageBody: unknown): unknown {
  return {
    Records: [
      {
        EventSource: 'aws:sns',
        EventVersion: '1.0',
        Sns: {
          Type: 'Notification',
          MessageId: 'm-1',
          TopicArn: 'arn:aws:sns:us-east-1:123456789012:topic',
          Message: JSON.stringify(messageBody),
          Timestamp: NOW.toISOString(),
          MessageAttributes: {},
        },
      },
    ],
  };
}

function s3EventOf(bucket: string, key: string, size: number): { Records: unknown[] } {
  return {
    Records: [
      {
        eventVersion: '2.1',
        eventSource: 'aws:s3',
        awsRegion: 'us-east-1',
        eventTime: NOW.toISOString(),
        eventName: 'ObjectCreated:Put',
        s3: {
          s3SchemaVersion: '1.0',
          bucket: { name: bucket, arn: `arn:aws:s3:::${bucket}` },
          object: { key: encodeS3Key(key), size, sequencer: '0055AED6DCD90281E5' },
        },
      },
    ],
  };
}

function etNotification(videoId: string, state: 'PROGRESSING' | 'COMPLETED'): unknown {
  return snsOf({
    state,
    version: '2012-09-25',
    jobId: `job-${videoId}`,
    pipelineId: 'pipeline-1',
    input: { key: 'upload.mov' },
    outputKeyPrefix: `videos/${videoId}/`,
    outputs: RENDITIONS.map((r) => ({
      key: `${r}.mp4`,
      status: state === 'COMPLETED' ? 'Complete' : 'Progressing',
    })),
    userMetadata: { videoId },
  });
}

describe('readiness under any event order', () => {
  const sandbox = sinon.createSandbox();
  let table: LocalVideoTable;
  let repository: DynamoVideoRepository;
  let s3: S3Client;
  let s3Mock: AwsClientStub<S3Client>;

  before(async () => {
    table = await startDynalite();
    repository = new DynamoVideoRepository(table.documentClient, table.tableName);
  });

  after(async () => {
    await table?.stop();
  });

  beforeEach(() => {
    s3 = new S3Client({ region: 'us-east-1', credentials: { accessKeyId: 'k', secretAccessKey: 's' } });
    s3Mock = mockClient(s3);
    s3Mock.on(GetObjectTaggingCommand).resolves({ TagSet: [] });
    s3Mock.on(PutObjectTaggingCommand).resolves({});
    s3Mock.on(PutObjectCommand).resolves({});
  });

  afterEach(() => {
    s3Mock.restore();
    sandbox.restore();
  });

  /** Every event of one video, delivered through the real parsers and cores against dynalite. */
  function eventsOf(videoId: string): { upload: PipelineEvent; others: PipelineEvent[] } {
    const logger = fakeLogger(sandbox);
    const now = () => NOW;
    const uploadKey = `uploads/user-1/${videoId}/my clip.final.mov`;
    const transcoder = { backend: 'elastic-transcoder' as const, startJob: async () => `job-${videoId}` };
    const upload: PipelineEvent = {
      name: 'upload',
      deliver: async () => {
        for (const record of parseS3Records(s3EventOf(UPLOAD_BUCKET, uploadKey, 1000))) {
          await transcodeUpload(record, { repository, transcoder, maxUploadBytes: 10_000, now, logger });
        }
      },
    };
    const forEachTranscoded =
      (key: string, fn: (record: ReturnType<typeof parseS3Records>[number]) => Promise<unknown>) =>
      async () => {
        for (const record of parseS3Records(snsOf(s3EventOf(TRANSCODED_BUCKET, key, 500_000))))
          await fn(record);
      };
    const others: PipelineEvent[] = [upload];
    for (const rendition of RENDITIONS) {
      const key = renditionKey(videoId, rendition);
      others.push(
        {
          name: `update-video-list ${rendition}`,
          fact: `rendition:${rendition}`,
          deliver: forEachTranscoded(key, (r) => recordFinishedRendition(r, { repository, now, logger })),
        },
        {
          name: `set-permissions ${rendition}`,
          fact: `public:${rendition}`,
          deliver: forEachTranscoded(key, (r) =>
            makeRenditionPublic(r, { s3, repository, bucket: TRANSCODED_BUCKET, now, logger }),
          ),
        },
        {
          name: `extract-metadata ${rendition}`,
          fact: `probe:${rendition}`,
          deliver: forEachTranscoded(key, (r) =>
            extractMetadata(r, {
              s3,
              probe: async () => PROBE,
              presignGet: async (bucket, k) => `https://${bucket}.example/${k}?signed`,
              repository,
              bucket: TRANSCODED_BUCKET,
              now,
              logger,
            }),
          ),
        },
      );
    }
    for (const state of ['PROGRESSING', 'COMPLETED'] as const) {
      others.push({
        name: `job ${state}`,
        ...(state === 'COMPLETED' && { fact: 'job-completed' }),
        deliver: async () => {
          for (const jobState of parseJobStates(etNotification(videoId, state))) {
            await applyJobState(jobState, { repository, s3, bucket: TRANSCODED_BUCKET, now, logger });
          }
        },
      });
    }
    return { upload, others };
  }

  let videoCounter = 0;
  function nextVideoId(): string {
    videoCounter += 1;
    return `order-test-video-${String(videoCounter).padStart(5, '0')}`.slice(0, 22).padEnd(22, 'x');
  }

  it('becomes READY exactly when the last missing fact arrives, never before, whatever the order and duplicates', async () => {
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(
        // Indices into the events (after the upload) to deliver twice, then the order of the whole batch.
        fc.array(fc.nat({ max: 11 }), { maxLength: 8 }),
        fc.infiniteStream(fc.double({ min: 0, max: 1, noNaN: true })),
        async (duplicates, randoms) => {
          runs += 1;
          const videoId = nextVideoId();
          const { upload, others } = eventsOf(videoId);
          const batch = [...others, ...duplicates.map((i) => others[i] as PipelineEvent)];
          // Fisher–Yates driven by fast-check's stream, so a failure shrinks and replays from the seed.
          const random = randoms[Symbol.iterator]();
          for (let i = batch.length - 1; i > 0; i--) {
            const j = Math.floor((random.next().value as number) * (i + 1));
            [batch[i], batch[j]] = [batch[j] as PipelineEvent, batch[i] as PipelineEvent];
          }

          // The upload always comes first: nothing can be transcoded before the job exists.
          await upload.deliver();
          expect((await repository.get(videoId))?.status).to.equal('TRANSCODING');

          const delivered = new Set<string>();
          const trace: string[] = [];
          for (const event of batch) {
            await event.deliver();
            trace.push(event.name);
            if (event.fact) delivered.add(event.fact);
            const complete = REQUIRED_FACTS.every((fact) => delivered.has(fact));
            const video = await repository.get(videoId);
            expect(video?.status, `after ${trace.join(' → ')}`).to.equal(complete ? 'READY' : 'TRANSCODING');
            if (complete) {
              expect(video?.outputs.map((o) => [o.rendition, o.public])).to.have.deep.members(
                RENDITIONS.map((r) => [r, true]),
              );
              expect(video?.metadata).to.deep.equal(PROBE);
              expect(video?.jobComplete).to.equal(true);
            }
          }
          expect(delivered.size).to.equal(REQUIRED_FACTS.length);
        },
      ),
      { seed: 20261124, numRuns: 60 },
    );
    expect(runs).to.equal(60);
  });
});
