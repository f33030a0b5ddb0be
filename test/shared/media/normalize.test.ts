import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { FFMPEG_PATH, FFPROBE_PATH, generateClip } from '#local/media';
import { NotAVideoError, normalizeProbe, runProcess } from '#shared/media';

/** Real `ffprobe -show_format -show_streams -of json` output of a local file. */
async function ffprobeJson(file: string): Promise<unknown> {
  const { exitCode, stdout, stderr } = await runProcess(
    FFPROBE_PATH,
    ['-v', 'error', '-show_format', '-show_streams', '-of', 'json', file],
    { timeoutMs: 30_000 },
  );
  if (exitCode !== 0) throw new Error(`ffprobe failed: ${stderr}`);
  return JSON.parse(stdout);
}

/** The clockwise rotation the packaged ffmpeg itself reads from a file (its `rotate` tag), as a cross-check. */
async function ffmpegRotateTag(file: string): Promise<number> {
  const { stderr } = await runProcess(FFMPEG_PATH, ['-hide_banner', '-i', file], { timeoutMs: 30_000 });
  const match = /rotate\s*:\s*(\d+)/.exec(stderr);
  return match ? Number(match[1]) : 0;
}

describe('integration', () => {
  describe('normalizeProbe on real ffprobe output', () => {
    let dir: string;
    const clip = (name: string) => join(dir, name);

    before(async () => {
      dir = await mkdtemp(join(tmpdir(), 'probe-'));
      await Promise.all([
        generateClip(clip('normal.mp4'), { seconds: 2, width: 320, height: 240, fps: 25 }),
        generateClip(clip('silent.mp4'), { seconds: 1, width: 160, height: 120, audio: false, fps: 30 }),
        generateClip(clip('portrait.mp4'), { seconds: 1, width: 320, height: 180, rotate: 90, audio: false }),
      ]);
    });

    after(async () => {
      if (dir) await rm(dir, { recursive: true, force: true });
    });

    it('reads a normal clip: duration, size, codecs, bit rate, frame rate', async () => {
      const json = (await ffprobeJson(clip('normal.mp4'))) as { format: { size: string; bit_rate: string } };

      const metadata = normalizeProbe(json);

      expect(metadata).to.deep.include({
        width: 320,
        height: 240,
        rotation: 0,
        videoCodec: 'h264',
        audioCodec: 'aac',
        frameRate: 25,
        size: Number(json.format.size),
        bitRate: Number(json.format.bit_rate),
      });
      expect(metadata.durationSeconds).to.be.closeTo(2, 0.1);
    });

    it('leaves the audio codec out of a clip without audio', async () => {
      const metadata = normalizeProbe(await ffprobeJson(clip('silent.mp4')));

      expect(metadata).not.to.have.property('audioCodec');
      expect(metadata).to.deep.include({ width: 160, height: 120, videoCodec: 'h264', frameRate: 30 });
    });

    it('reports a rotated clip in display dimensions, with the clockwise rotation ffmpeg itself reads', async () => {
      const json = (await ffprobeJson(clip('portrait.mp4'))) as {
        streams: { width: number; height: number }[];
      };
      const expectedRotation = await ffmpegRotateTag(clip('portrait.mp4'));

      const metadata = normalizeProbe(json);

      expect(json.streams[0]).to.include({ width: 320, height: 180 });
      expect([90, 270]).to.include(expectedRotation);
      expect(metadata.rotation).to.equal(expectedRotation);
      expect(metadata).to.deep.include({ width: 180, height: 320 });
    });
  });
});

describe('unit', () => {
  describe('normalizeProbe', () => {
    const video = (extra: Record<string, unknown> = {}) => ({
      codec_type: 'video',
      codec_name: 'hevc',
      width: 1920,
      height: 1080,
      avg_frame_rate: '30/1',
      ...extra,
    });

    it('reads a phone portrait clip whose display matrix says -90 as rotated 90° clockwise', () => {
      const json = {
        streams: [
          video({
            side_data_list: [{ side_data_type: 'Display Matrix', displaymatrix: '…', rotation: -90 }],
          }),
        ],
        format: { duration: '3.0', size: '3000000', bit_rate: '8000000' },
      };

      expect(normalizeProbe(json)).to.deep.include({ rotation: 90, width: 1080, height: 1920 });
    });

    it('falls back to the rotate tag of older ffprobe builds', () => {
      const json = { streams: [video({ tags: { rotate: '270' } })], format: {} };

      expect(normalizeProbe(json)).to.deep.include({ rotation: 270, width: 1080, height: 1920 });
    });

    it('keeps dimensions for a 180° rotation', () => {
      const json = {
        streams: [video({ side_data_list: [{ side_data_type: 'Display Matrix', rotation: 180 }] })],
        format: {},
      };

      expect(normalizeProbe(json)).to.deep.include({ rotation: 180, width: 1920, height: 1080 });
    });

    it('uses r_frame_rate when avg_frame_rate is 0/0, and rounds NTSC rates', () => {
      const json = { streams: [video({ avg_frame_rate: '0/0', r_frame_rate: '24000/1001' })], format: {} };

      expect(normalizeProbe(json).frameRate).to.equal(23.976);
    });

    it('computes the bit rate from size and duration when the format has none, and never returns NaN', () => {
      const json = {
        streams: [video({ avg_frame_rate: 'N/A' })],
        format: { duration: '4.0', size: '1000000' },
      };

      const metadata = normalizeProbe(json);

      expect(metadata).to.deep.include({
        bitRate: 2_000_000,
        size: 1_000_000,
        durationSeconds: 4,
        frameRate: 0,
      });
    });

    it('uses the stream duration when the format has none', () => {
      const json = { streams: [video({ duration: '7.5' })], format: { duration: 'N/A' } };

      expect(normalizeProbe(json).durationSeconds).to.equal(7.5);
    });

    it('throws NotAVideoError for audio with cover art', () => {
      const json = {
        streams: [
          { codec_type: 'audio', codec_name: 'mp3' },
          video({ codec_name: 'mjpeg', disposition: { attached_pic: 1 } }),
        ],
        format: { format_name: 'mp3' },
      };

      expect(() => normalizeProbe(json)).to.throw(NotAVideoError, /no video stream \(found audio, video\)/);
    });

    it('throws NotAVideoError for a still image', () => {
      const json = { streams: [video({ codec_name: 'png' })], format: { format_name: 'png_pipe' } };

      expect(() => normalizeProbe(json)).to.throw(NotAVideoError, /still image/);
    });

    it('throws NotAVideoError for output without streams', () => {
      expect(() => normalizeProbe({})).to.throw(NotAVideoError, /no streams/);
      expect(() => normalizeProbe(null)).to.throw(NotAVideoError);
    });

    it('throws NotAVideoError for a video stream without a picture size', () => {
      expect(() => normalizeProbe({ streams: [video({ width: 0 })] })).to.throw(
        NotAVideoError,
        /picture size/,
      );
    });
  });
});
