import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { type AwsClientStub, mockClient } from 'aws-sdk-client-mock';
import { expect } from 'chai';
import { PIPELINE_FUNCTION_ENV } from '#test/support/pipeline-env.ts';
import { setEnv } from '../../support/api-env.ts';
import { loadEventFixture } from '../../support/fixtures.ts';
import { transcodingItem } from '../../support/pipeline-fakes.ts';

type Handler = (event: unknown) => Promise<void>;

const VIDEO_ID = 'AbCdEfGhIjKlMnOpQrStUv';
const BUCKET = '24hv-transcoded-dev';

// What ffprobe prints for a 1080p H.264/AAC file (trimmed to the fields the normalizer reads).
const FFPROBE_OUTPUT = {
  streams: [
    {
      codec_type: 'video',
      codec_name: 'h264',
      width: 1920,
      height: 1080,
      avg_frame_rate: '30/1',
      duration: '4.0',
    },
    { codec_type: 'audio', codec_name: 'aac', duration: '4.0' },
  ],
  format: {
    format_name: 'mov,mp4,m4a,3gp,3g2,mj2',
    duration: '4.000000',
    size: '2000000',
    bit_rate: '4000000',
  },
};

describe('extract-metadata handler', () => {
  let restoreEnv: () => void;
  let handler: Handler;
  let dir: string;
  let ddb: AwsClientStub<DynamoDBDocumentClient>;
  let s3: AwsClientStub<S3Client>;

  before(async () => {
    // A stand-in ffprobe that records its arguments and prints canned JSON: the handler runs a real process.
    dir = await mkdtemp(join(tmpdir(), 'extract-metadata-'));
    await writeFile(join(dir, 'probe.json'), JSON.stringify(FFPROBE_OUTPUT));
    const script = join(dir, 'ffprobe');
    await writeFile(
      script,
      `#!/bin/sh\nprintf '%s\\n' "$@" > '${join(dir, 'args.txt')}'\ncat '${join(dir, 'probe.json')}'\n`,
    );
    await chmod(script, 0o755);
    restoreEnv = setEnv({ ...PIPELINE_FUNCTION_ENV, FFPROBE_PATH: script });
    ({ handler } = await import('#functions/extract-metadata/handler.ts'));
  });

  after(async () => {
    restoreEnv();
    await rm(dir, { recursive: true, force: true });
  });

  beforeEach(() => {
    ddb = mockClient(DynamoDBDocumentClient);
    ddb.on(UpdateCommand).resolves({});
    ddb.on(GetCommand).resolves(transcodingItem(VIDEO_ID));
    s3 = mockClient(S3Client);
    s3.on(PutObjectCommand).resolves({});
  });

  afterEach(() => {
    ddb.restore();
    s3.restore();
  });

  describe('SNS-wrapped S3 events', () => {
    it('runs ffprobe on a presigned GET of the rendition and stores the normalized metadata', async () => {
      // Act
      await handler(loadEventFixture('sns-s3-put'));

      // Assert
      const args = (await readFile(join(dir, 'args.txt'), 'utf8')).trimEnd().split('\n');
      expect(args.slice(0, -1)).to.deep.equal([
        '-v',
        'error',
        '-show_format',
        '-show_streams',
        '-of',
        'json',
      ]);
      const url = new URL(args.at(-1) ?? '');
      expect(`${url.origin}${url.pathname}`).to.equal(
        `https://${BUCKET}.s3.us-east-1.amazonaws.com/videos/${VIDEO_ID}/1080p.mp4`,
      );
      expect(url.searchParams.get('X-Amz-Expires')).to.equal('900');
      expect(url.searchParams.get('X-Amz-Credential')).to.match(/^ASIAFUNCTIONROLE\//);

      const probeWrite = ddb
        .commandCalls(UpdateCommand)
        .map((call) => call.args[0].input)
        .find((input) => input.UpdateExpression?.includes('#probes.#rendition'));
      expect(probeWrite?.ExpressionAttributeValues?.[':value']).to.include({
        durationSeconds: 4,
        width: 1920,
        height: 1080,
        videoCodec: 'h264',
        audioCodec: 'aac',
        bitRate: 4000000,
        size: 2000000,
      });

      const puts = s3.commandCalls(PutObjectCommand).map((call) => call.args[0].input);
      expect(puts.map((p) => [p.Bucket, p.Key, p.ContentType])).to.deep.equal([
        [BUCKET, `videos/${VIDEO_ID}/metadata.json`, 'application/json'],
      ]);
    });
  });
});
