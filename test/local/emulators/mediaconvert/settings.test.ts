import { expect } from 'chai';
import { crfForQvbr, JobSettingsError, planJob } from '#local/emulators/mediaconvert/settings.ts';
import { buildMediaConvertJob } from '#shared/transcoder';

const VIDEO_ID = 'Vq3x9ZkT2mB7wLp4sR8yNa';

/** The adapter's CreateJob request as it travels on the wire (REST JSON, lowerCamel member names). */
function wire(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(wire);
  if (typeof value !== 'object' || value === null) return value;
  const maps = new Set(['AudioSelectors', 'UserMetadata']);
  return Object.fromEntries(
    Object.entries(value).map(([key, entry]) => {
      const name = key.charAt(0).toLowerCase() + key.slice(1);
      if (maps.has(key)) {
        return [name, Object.fromEntries(Object.entries(entry as object).map(([k, v]) => [k, wire(v)]))];
      }
      return [name, wire(entry)];
    }),
  );
}

function adapterJob(hasAudio = true): Record<string, unknown> {
  return wire(
    buildMediaConvertJob(
      { videoId: VIDEO_ID, input: { bucket: 'uploads', key: 'uploads/u/my clip é.mov' } },
      { queueArn: 'q', roleArn: 'r', outputBucket: 'out', hasAudio },
    ),
  ) as Record<string, unknown>;
}

function errorOf(body: unknown): JobSettingsError {
  try {
    planJob(body);
  } catch (error) {
    if (error instanceof JobSettingsError) return error;
    throw error;
  }
  throw new Error('planJob accepted the request');
}

describe('unit', () => {
  describe('MediaConvert emulator settings', () => {
    describe('planJob on the adapter request', () => {
      it('plans three MP4 renditions and a one-frame poster at the layout keys', () => {
        // Act
        const plan = planJob(adapterJob());

        // Assert
        expect(plan.input).to.include({
          bucket: 'uploads',
          key: 'uploads/u/my clip é.mov',
          autorotate: true,
        });
        const outputs = plan.groups.flatMap((group) => group.outputs);
        expect(outputs.map((output) => (output.kind === 'mp4' ? output.key : output.keyBase))).to.deep.equal([
          `videos/${VIDEO_ID}/1080p.mp4`,
          `videos/${VIDEO_ID}/720p.mp4`,
          `videos/${VIDEO_ID}/web-720p.mp4`,
          `videos/${VIDEO_ID}/poster`,
        ]);
        expect(outputs[0]).to.deep.include({
          box: { width: 1920, height: 1080 },
          profile: 'high',
          crf: crfForQvbr(8),
          videoBitrateKbps: 5000,
          audio: { selector: 'Audio Selector 1', bitrateKbps: 160, channels: 2, sampleRate: 48000 },
        });
        expect(outputs[3]).to.deep.include({ kind: 'frame-capture', maxCaptures: 1, rate: 1, quality: 80 });
        expect(plan.userMetadata).to.deep.equal({ videoId: VIDEO_ID });
      });

      it('plans no audio when the adapter asked for none', () => {
        const outputs = planJob(adapterJob(false)).groups.flatMap((group) => group.outputs);
        expect(outputs.filter((output) => output.kind === 'mp4' && output.audio)).to.deep.equal([]);
      });
    });

    describe('file naming', () => {
      it('uses the input file name when the destination ends with a slash', () => {
        // Arrange
        const body = adapterJob();
        const groups = (body.settings as { outputGroups: { outputGroupSettings: Record<string, unknown> }[] })
          .outputGroups;
        groups.splice(1);
        (groups[0]?.outputGroupSettings as { fileGroupSettings: { destination: string } }).fileGroupSettings =
          {
            destination: 's3://out/videos/x/',
          };

        // Act
        const plan = planJob(body);

        // Assert
        expect(plan.groups[0]?.outputs[0]).to.include({ key: 'videos/x/my clip é.mp4' });
      });
    });

    describe('refusals', () => {
      it('refuses two outputs in one group without distinct name modifiers', () => {
        // Arrange
        const body = adapterJob();
        const group = (body.settings as { outputGroups: { outputs: unknown[] }[] }).outputGroups[0];
        group?.outputs.push(structuredClone(group.outputs[0]));

        // Act
        const error = errorOf(body);

        // Assert
        expect(error.path).to.equal('/settings/outputGroups/0/outputs');
        expect(error.message).to.include('nameModifier');
      });

      it('refuses audio from a selector the input does not define', () => {
        // Arrange
        const body = adapterJob();
        const input = (body.settings as { inputs: Record<string, unknown>[] }).inputs[0];
        if (input) delete input.audioSelectors;

        // Act
        const error = errorOf(body);

        // Assert
        expect(error.path).to.equal('/settings/outputGroups/0/outputs/0/audioDescriptions/0/audioSourceName');
      });

      it('refuses an output group type it does not render', () => {
        // Arrange
        const body = adapterJob();
        const group = (body.settings as { outputGroups: { outputGroupSettings: { type: string } }[] })
          .outputGroups[0];
        if (group) group.outputGroupSettings.type = 'HLS_GROUP_SETTINGS';

        // Act
        const error = errorOf(body);

        // Assert
        expect(error.path).to.equal('/settings/outputGroups/0/outputGroupSettings/type');
        expect(error.message).to.include('FILE_GROUP_SETTINGS');
      });

      it('refuses more than one input', () => {
        // Arrange
        const body = adapterJob();
        const settings = body.settings as { inputs: unknown[] };
        settings.inputs.push(structuredClone(settings.inputs[0]));

        // Act / Assert
        expect(errorOf(body).path).to.equal('/settings/inputs');
      });
    });

    describe('crfForQvbr', () => {
      it('maps higher quality levels to lower CRF values, level 7 to x264 default 23', () => {
        expect([1, 6, 7, 8, 10].map(crfForQvbr)).to.deep.equal([35, 25, 23, 21, 17]);
      });
    });
  });
});
