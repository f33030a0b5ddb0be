import {
  CancelJobCommand,
  CreateJobCommand,
  GetJobCommand,
  MediaConvertClient,
  ProbeCommand,
} from '@aws-sdk/client-mediaconvert';
import { mockClient } from 'aws-sdk-client-mock';
import { expect } from 'chai';
import { JobStartError, MediaConvertTranscoder, sourceProbeOf } from '#shared/transcoder';

const VIDEO_ID = 'Vq3x9ZkT2mB7wLp4sR8yNa';
const QUEUE_ARN = 'arn:aws:mediaconvert:us-east-1:123456789012:queues/24-hour-video-dev';
const ROLE_ARN = 'arn:aws:iam::123456789012:role/24-hour-video-dev-mediaconvert';
const OUTPUT_BUCKET = '24-hour-video-dev-transcoded';
const INPUT = {
  bucket: '24-hour-video-dev-uploads',
  key: `uploads/user-1/${VIDEO_ID}/my holiday videoé + more.mov`,
};

function awsError(name: string, status: number): Error {
  return Object.assign(new Error(`${name} happened`), {
    name,
    $fault: status >= 500 ? 'server' : 'client',
    $metadata: { httpStatusCode: status },
  });
}

const VIDEO_TRACK = { Index: 1, TrackType: 'video' as const, Codec: 'AVC' as const };
const AUDIO_TRACK = { Index: 2, TrackType: 'audio' as const, Codec: 'AAC' as const };

function probeWith(tracks: unknown[]) {
  return { ProbeResults: [{ Container: { Format: 'mp4' as const, Tracks: tracks as never } }] };
}

function h264(profile: string, quality: number, maxBitrate: number) {
  return {
    Codec: 'H_264',
    H264Settings: {
      RateControlMode: 'QVBR',
      QvbrSettings: { QvbrQualityLevel: quality },
      MaxBitrate: maxBitrate,
      CodecProfile: profile,
      CodecLevel: 'AUTO',
      SceneChangeDetect: 'TRANSITION_DETECTION',
      QualityTuningLevel: 'SINGLE_PASS_HQ',
    },
  };
}

function aac(bitrate: number) {
  return [
    {
      AudioSourceName: 'Audio Selector 1',
      CodecSettings: {
        Codec: 'AAC',
        AacSettings: { Bitrate: bitrate, CodingMode: 'CODING_MODE_2_0', SampleRate: 48000 },
      },
    },
  ];
}

function renditionGroup(name: string, width: number, height: number, codec: object, audio?: object[]) {
  return {
    Name: name,
    OutputGroupSettings: {
      Type: 'FILE_GROUP_SETTINGS',
      FileGroupSettings: { Destination: `s3://${OUTPUT_BUCKET}/videos/${VIDEO_ID}/${name}` },
    },
    Outputs: [
      {
        ContainerSettings: { Container: 'MP4', Mp4Settings: { MoovPlacement: 'PROGRESSIVE_DOWNLOAD' } },
        VideoDescription: {
          Width: width,
          Height: height,
          ScalingBehavior: 'FIT_NO_UPSCALE',
          CodecSettings: codec,
        },
        ...(audio && { AudioDescriptions: audio }),
      },
    ],
  };
}

const POSTER_GROUP = {
  Name: 'poster',
  OutputGroupSettings: {
    Type: 'FILE_GROUP_SETTINGS',
    FileGroupSettings: { Destination: `s3://${OUTPUT_BUCKET}/videos/${VIDEO_ID}/poster` },
  },
  Outputs: [
    {
      ContainerSettings: { Container: 'RAW' },
      VideoDescription: {
        Width: 1280,
        Height: 720,
        ScalingBehavior: 'FIT_NO_UPSCALE',
        CodecSettings: {
          Codec: 'FRAME_CAPTURE',
          FrameCaptureSettings: {
            FramerateNumerator: 1,
            FramerateDenominator: 1,
            MaxCaptures: 1,
            Quality: 80,
          },
        },
      },
    },
  ],
};

function expectedJob(hasAudio: boolean, token: string) {
  return {
    Queue: QUEUE_ARN,
    Role: ROLE_ARN,
    ClientRequestToken: token,
    UserMetadata: { videoId: VIDEO_ID },
    StatusUpdateInterval: 'SECONDS_30',
    Settings: {
      TimecodeConfig: { Source: 'ZEROBASED' },
      Inputs: [
        {
          FileInput: `s3://${INPUT.bucket}/${INPUT.key}`,
          VideoSelector: { Rotate: 'AUTO' },
          TimecodeSource: 'ZEROBASED',
          ...(hasAudio && { AudioSelectors: { 'Audio Selector 1': { DefaultSelection: 'DEFAULT' } } }),
        },
      ],
      OutputGroups: [
        renditionGroup('1080p', 1920, 1080, h264('HIGH', 8, 5_000_000), hasAudio ? aac(160_000) : undefined),
        renditionGroup('720p', 1280, 720, h264('MAIN', 7, 3_000_000), hasAudio ? aac(128_000) : undefined),
        renditionGroup('web-720p', 1280, 720, h264('MAIN', 6, 1_500_000), hasAudio ? aac(96_000) : undefined),
        POSTER_GROUP,
      ],
    },
  };
}

describe('MediaConvertTranscoder', () => {
  let mcMock: ReturnType<typeof mockClient>;
  let transcoder: MediaConvertTranscoder;

  beforeEach(() => {
    const client = new MediaConvertClient({ region: 'us-east-1' });
    mcMock = mockClient(client);
    transcoder = new MediaConvertTranscoder({
      client,
      queueArn: QUEUE_ARN,
      roleArn: ROLE_ARN,
      outputBucket: OUTPUT_BUCKET,
    });
  });

  afterEach(() => {
    mcMock.restore();
  });

  describe('probeSource', () => {
    it('reads the size, rotation and bit rate of the video track and whether there is audio', async () => {
      // Arrange
      mcMock.on(ProbeCommand).resolves(
        probeWith([
          {
            ...VIDEO_TRACK,
            VideoProperties: { Width: 1920, Height: 1080, Rotation: 90, BitRate: 8_000_000 },
          },
          AUDIO_TRACK,
        ]),
      );

      // Act
      const probed = await transcoder.probeSource({ videoId: VIDEO_ID, input: INPUT });

      // Assert
      expect(probed).to.deep.equal({
        picture: { width: 1920, height: 1080, rotation: 90, bitRate: 8_000_000 },
        hasAudio: true,
      });
      expect(mcMock.commandCalls(ProbeCommand).map((call) => call.args[0].input)).to.deep.equal([
        { InputFiles: [{ FileUrl: `s3://${INPUT.bucket}/${INPUT.key}` }] },
      ]);
    });

    it('says why it knows nothing when Probe refuses the file', async () => {
      // Arrange
      mcMock.on(ProbeCommand).rejects(awsError('BadRequestException', 400));

      // Act
      const probed = await transcoder.probeSource({ videoId: VIDEO_ID, input: INPUT });

      // Assert
      expect(probed).to.deep.equal({
        unknown:
          'MediaConvert could not probe the source (BadRequestException: BadRequestException happened)',
      });
    });

    it('throws a transient JobStartError when Probe is throttled', async () => {
      // Arrange
      mcMock.on(ProbeCommand).rejects(awsError('TooManyRequestsException', 429));

      // Act
      const error = await transcoder.probeSource({ videoId: VIDEO_ID, input: INPUT }).then(
        () => undefined,
        (caught: unknown) => caught,
      );

      // Assert
      expect(error).to.be.instanceOf(JobStartError);
      expect((error as JobStartError).permanent).to.equal(false);
    });
  });

  describe('sourceProbeOf', () => {
    it('takes the bit rate from the container, then from size over duration, when the track has none', () => {
      const track = { ...VIDEO_TRACK, VideoProperties: { Width: 320, Height: 240 } };

      expect(
        sourceProbeOf({
          Container: { BitRate: 900_000, Duration: 4, Tracks: [track] },
          Metadata: { FileSize: 1 },
        }),
      ).to.deep.equal({ picture: { width: 320, height: 240, bitRate: 900_000 }, hasAudio: false });
      expect(
        sourceProbeOf({ Container: { Duration: 4, Tracks: [track] }, Metadata: { FileSize: 500_000 } }),
      ).to.deep.equal({ picture: { width: 320, height: 240, bitRate: 1_000_000 }, hasAudio: false });
      expect(sourceProbeOf({ Container: { Tracks: [track] } })).to.deep.equal({
        picture: { width: 320, height: 240 },
        hasAudio: false,
      });
    });

    it('knows no picture without a video track, and no audio answer without tracks', () => {
      expect(sourceProbeOf({ Container: { Tracks: [AUDIO_TRACK] } })).to.deep.equal({
        hasAudio: true,
        unknown: 'MediaConvert Probe listed no video track',
      });
      expect(sourceProbeOf(undefined)).to.deep.equal({ unknown: 'MediaConvert Probe listed no video track' });
    });
  });

  describe('startJob', () => {
    it('probes the raw input key, then creates one job with three renditions, AAC audio and a poster', async () => {
      // Arrange
      mcMock.on(ProbeCommand).resolves(probeWith([VIDEO_TRACK, AUDIO_TRACK]));
      mcMock
        .on(CreateJobCommand)
        .resolves({ Job: { Id: '1764000000123-mc7q2k', Role: ROLE_ARN, Settings: {} } });

      // Act
      const jobId = await transcoder.startJob({ videoId: VIDEO_ID, input: INPUT });

      // Assert
      expect(jobId).to.equal('1764000000123-mc7q2k');
      expect(mcMock.commandCalls(ProbeCommand).map((call) => call.args[0].input)).to.deep.equal([
        { InputFiles: [{ FileUrl: `s3://${INPUT.bucket}/${INPUT.key}` }] },
      ]);
      const calls = mcMock.commandCalls(CreateJobCommand);
      expect(calls).to.have.length(1);
      const token = calls[0]?.args[0].input.ClientRequestToken ?? '';
      expect(token).to.match(new RegExp(`^${VIDEO_ID}-[0-9a-f]{16}$`));
      expect(calls[0]?.args[0].input).to.deep.equal(expectedJob(true, token));
    });

    it('asks for no audio when the probe finds no audio track, so the job cannot fail on a missing track', async () => {
      // Arrange
      mcMock.on(ProbeCommand).resolves(probeWith([VIDEO_TRACK]));
      mcMock.on(CreateJobCommand).resolves({ Job: { Id: 'job-1', Role: ROLE_ARN, Settings: {} } });

      // Act
      await transcoder.startJob({ videoId: VIDEO_ID, input: INPUT });

      // Assert
      const input = mcMock.commandCalls(CreateJobCommand)[0]?.args[0].input;
      expect(input).to.deep.equal(expectedJob(false, input?.ClientRequestToken ?? ''));
    });

    it('sends the same token when the same video is started twice', async () => {
      // Arrange
      mcMock.on(ProbeCommand).resolves(probeWith([VIDEO_TRACK, AUDIO_TRACK]));
      mcMock.on(CreateJobCommand).resolves({ Job: { Id: 'job-1', Role: ROLE_ARN, Settings: {} } });

      // Act
      await transcoder.startJob({ videoId: VIDEO_ID, input: INPUT });
      await transcoder.startJob({ videoId: VIDEO_ID, input: { ...INPUT } });

      // Assert
      const tokens = mcMock
        .commandCalls(CreateJobCommand)
        .map((call) => call.args[0].input.ClientRequestToken);
      expect(tokens).to.have.length(2);
      expect(tokens[0]).to.equal(tokens[1]);
    });

    it('assumes audio when the probe refuses the file, leaving the verdict to the job', async () => {
      // Arrange
      mcMock.on(ProbeCommand).rejects(awsError('BadRequestException', 400));
      mcMock.on(CreateJobCommand).resolves({ Job: { Id: 'job-1', Role: ROLE_ARN, Settings: {} } });

      // Act
      await transcoder.startJob({ videoId: VIDEO_ID, input: INPUT });

      // Assert
      const input = mcMock.commandCalls(CreateJobCommand)[0]?.args[0].input;
      expect(input?.Settings?.Inputs?.[0]?.AudioSelectors).to.deep.equal({
        'Audio Selector 1': { DefaultSelection: 'DEFAULT' },
      });
    });

    it('assumes audio when the probe lists no tracks', async () => {
      // Arrange
      mcMock.on(ProbeCommand).resolves({ ProbeResults: [] });
      mcMock.on(CreateJobCommand).resolves({ Job: { Id: 'job-1', Role: ROLE_ARN, Settings: {} } });

      // Act
      await transcoder.startJob({ videoId: VIDEO_ID, input: INPUT });

      // Assert
      const outputs = mcMock.commandCalls(CreateJobCommand)[0]?.args[0].input.Settings?.OutputGroups;
      expect(outputs?.[0]?.Outputs?.[0]?.AudioDescriptions).to.have.length(1);
    });

    it('throws a transient JobStartError and creates no job when the probe is throttled', async () => {
      // Arrange
      mcMock.on(ProbeCommand).rejects(awsError('TooManyRequestsException', 429));

      // Act
      const error = await transcoder.startJob({ videoId: VIDEO_ID, input: INPUT }).then(
        () => undefined,
        (caught: unknown) => caught,
      );

      // Assert
      expect(error).to.be.instanceOf(JobStartError);
      expect((error as JobStartError).permanent).to.equal(false);
      expect(mcMock.commandCalls(CreateJobCommand)).to.have.length(0);
    });

    it('creates only the renditions of the ladder, without probing again when given the probe', async () => {
      // Arrange
      mcMock.on(CreateJobCommand).resolves({ Job: { Id: 'job-1', Role: ROLE_ARN, Settings: {} } });

      // Act
      await transcoder.startJob({
        videoId: VIDEO_ID,
        input: INPUT,
        renditions: ['web-720p'],
        source: { picture: { width: 320, height: 240 }, hasAudio: true },
      });

      // Assert
      expect(mcMock.commandCalls(ProbeCommand)).to.have.length(0);
      const input = mcMock.commandCalls(CreateJobCommand)[0]?.args[0].input;
      expect(input?.Settings?.OutputGroups).to.deep.equal([
        renditionGroup('web-720p', 1280, 720, h264('MAIN', 6, 1_500_000), aac(96_000)),
        POSTER_GROUP,
      ]);
    });

    it('turns every box, the poster’s too, for a portrait source so it keeps its resolution', async () => {
      // Arrange: a phone's portrait video, landscape pixels and a 90° rotation.
      mcMock.on(CreateJobCommand).resolves({ Job: { Id: 'job-1', Role: ROLE_ARN, Settings: {} } });

      // Act
      await transcoder.startJob({
        videoId: VIDEO_ID,
        input: INPUT,
        renditions: ['1080p', 'web-720p'],
        source: { picture: { width: 1920, height: 1080, rotation: 90 }, hasAudio: false },
      });

      // Assert
      const groups = mcMock.commandCalls(CreateJobCommand)[0]?.args[0].input.Settings?.OutputGroups ?? [];
      expect(
        groups.map((group) => [
          group.Name,
          group.Outputs?.[0]?.VideoDescription?.Width,
          group.Outputs?.[0]?.VideoDescription?.Height,
        ]),
      ).to.deep.equal([
        ['1080p', 1080, 1920],
        ['web-720p', 720, 1280],
        ['poster', 720, 1280],
      ]);
    });

    it('probes by itself for a replacement job given only its ladder', async () => {
      // Arrange
      mcMock.on(ProbeCommand).resolves(probeWith([VIDEO_TRACK]));
      mcMock.on(CreateJobCommand).resolves({ Job: { Id: 'job-2', Role: ROLE_ARN, Settings: {} } });

      // Act
      await transcoder.startJob({
        videoId: VIDEO_ID,
        input: INPUT,
        attempt: 2,
        renditions: ['720p', 'web-720p'],
      });

      // Assert
      expect(mcMock.commandCalls(ProbeCommand)).to.have.length(1);
      const groups = mcMock.commandCalls(CreateJobCommand)[0]?.args[0].input.Settings?.OutputGroups ?? [];
      expect(groups.map((group) => group.Name)).to.deep.equal(['720p', 'web-720p', 'poster']);
    });

    it('throws a permanent JobStartError naming the code when CreateJob is refused', async () => {
      // Arrange
      mcMock.on(ProbeCommand).resolves(probeWith([VIDEO_TRACK, AUDIO_TRACK]));
      mcMock.on(CreateJobCommand).rejects(awsError('BadRequestException', 400));

      // Act
      const error = await transcoder.startJob({ videoId: VIDEO_ID, input: INPUT }).then(
        () => undefined,
        (caught: unknown) => caught,
      );

      // Assert
      expect(error).to.be.instanceOf(JobStartError);
      expect((error as JobStartError).permanent).to.equal(true);
      expect((error as JobStartError).code).to.equal('BadRequestException');
      expect((error as JobStartError).message).to.include(VIDEO_ID);
    });

    it('throws when CreateJob answers without a job id', async () => {
      // Arrange
      mcMock.on(ProbeCommand).resolves(probeWith([VIDEO_TRACK]));
      mcMock.on(CreateJobCommand).resolves({});

      // Act
      const error = await transcoder.startJob({ videoId: VIDEO_ID, input: INPUT }).then(
        () => undefined,
        (caught: unknown) => caught,
      );

      // Assert
      expect(error).to.be.instanceOf(JobStartError);
      expect((error as JobStartError).message).to.include('no job id');
    });
  });

  describe('cancelJob', () => {
    const refused = (name: string, status: number) =>
      Object.assign(new Error(`${name} happened`), {
        name,
        $fault: 'client',
        $metadata: { httpStatusCode: status },
      });

    it('cancels a submitted or progressing job', async () => {
      mcMock.on(CancelJobCommand).resolves({});

      expect(await transcoder.cancelJob('job-1')).to.equal('canceled');
      expect(mcMock.commandCalls(CancelJobCommand).map((c) => c.args[0].input)).to.deep.equal([
        { Id: 'job-1' },
      ]);
    });

    for (const [status, outcome] of [
      ['COMPLETE', 'finished'],
      ['ERROR', 'finished'],
      ['CANCELED', 'canceled'],
    ] as const) {
      it(`reads a job MediaConvert will not cancel: ${status} is ${outcome}`, async () => {
        mcMock.on(CancelJobCommand).rejects(refused('ConflictException', 409));
        mcMock.on(GetJobCommand).resolves({ Job: { Id: 'job-1', Status: status } as never });

        expect(await transcoder.cancelJob('job-1')).to.equal(outcome);
        expect(mcMock.commandCalls(GetJobCommand).map((c) => c.args[0].input)).to.deep.equal([
          { Id: 'job-1' },
        ]);
      });
    }

    it('treats an unknown job as finished', async () => {
      mcMock.on(CancelJobCommand).rejects(refused('NotFoundException', 404));

      expect(await transcoder.cancelJob('job-1')).to.equal('finished');
    });

    it('rethrows throttling for a retry', async () => {
      const throttled = refused('TooManyRequestsException', 429);
      mcMock.on(CancelJobCommand).rejects(throttled);

      expect(await transcoder.cancelJob('job-1').catch((e: unknown) => e)).to.equal(throttled);
    });
  });

  describe('getJobState', () => {
    const job = (fields: Record<string, unknown>) =>
      ({
        Id: 'job-1',
        UserMetadata: { videoId: VIDEO_ID },
        Settings: { OutputGroups: [] },
        ...fields,
      }) as never;

    it('reads a complete job as COMPLETED, with the poster its frame capture always writes', async () => {
      mcMock.on(GetJobCommand).resolves({
        Job: job({
          Status: 'COMPLETE',
          Settings: {
            OutputGroups: [
              { Outputs: [{ VideoDescription: { CodecSettings: { Codec: 'FRAME_CAPTURE' } } }] },
            ],
          },
        }),
      });

      expect(await transcoder.getJobState('job-1')).to.deep.equal({
        backend: 'mediaconvert',
        jobId: 'job-1',
        videoId: VIDEO_ID,
        state: 'COMPLETED',
        percent: 100,
        posterKey: `videos/${VIDEO_ID}/poster.0000000.jpg`,
      });
      expect(mcMock.commandCalls(GetJobCommand)[0]?.args[0].input).to.deep.equal({ Id: 'job-1' });
    });

    it('reads a failed job with its code and message, and a running one with its percentage', async () => {
      mcMock
        .on(GetJobCommand)
        .resolvesOnce({ Job: job({ Status: 'ERROR', ErrorCode: 1999, ErrorMessage: 'Unknown Error' }) })
        .resolvesOnce({ Job: job({ Status: 'PROGRESSING', JobPercentComplete: 40 }) });

      expect(await transcoder.getJobState('job-1')).to.deep.include({
        state: 'ERROR',
        errorCode: '1999',
        errorMessage: 'Unknown Error',
      });
      expect(await transcoder.getJobState('job-1')).to.deep.include({ state: 'PROGRESSING', percent: 40 });
    });

    it('answers undefined for a job MediaConvert does not know', async () => {
      mcMock
        .on(GetJobCommand)
        .rejects(Object.assign(new Error('no such job'), { name: 'NotFoundException' }));

      expect(await transcoder.getJobState('job-1')).to.equal(undefined);
    });
  });
});
