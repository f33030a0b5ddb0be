import { expect } from 'chai';
import {
  durationLabel,
  formatBitRate,
  formatBytes,
  formatDate,
  formatDuration,
  formatRate,
  formatResolution,
  percent,
  statusLabel,
  UNKNOWN,
  videoTitle,
} from '#web/ui/format.ts';

describe('web format', () => {
  it('names a video by its title, else its filename, never undefined', () => {
    expect(videoTitle({ title: 'Trip', filename: 'a.mp4' })).to.equal('Trip');
    expect(videoTitle({ title: '  ', filename: 'a.mp4' })).to.equal('a.mp4');
    expect(videoTitle({})).to.equal('Untitled video');
  });

  it('formats durations as a clock and in words', () => {
    expect([0, 5.4, 65.2, 3723].map(formatDuration)).to.deep.equal(['0:00', '0:05', '1:05', '1:02:03']);
    expect(durationLabel(3723)).to.equal('1 h 2 min 3 s');
    expect(durationLabel(0)).to.equal('0 s');
  });

  it('formats sizes, speeds and bit rates', () => {
    expect([0, 999, 1536, 1_572_864, 2 * 1024 ** 3].map(formatBytes)).to.deep.equal([
      '0 bytes',
      '999 bytes',
      '1.5 KB',
      '1.5 MB',
      '2.0 GB',
    ]);
    expect(formatRate(1_572_864)).to.equal('1.5 MB/s');
    expect([2_500_000, 182_000].map(formatBitRate)).to.deep.equal(['2.5 Mbit/s', '182 kbit/s']);
  });

  it('shows the picture as displayed, a rotated phone video upright', () => {
    expect(formatResolution({ width: 1920, height: 1080, rotation: 0 })).to.equal('1920×1080');
    expect(formatResolution({ width: 1920, height: 1080, rotation: -90 })).to.equal('1080×1920');
  });

  it('shows a dash, never NaN or undefined, for values it does not have', () => {
    const unknowns = [
      formatDuration(undefined),
      formatDuration(Number.NaN),
      formatBytes(undefined),
      formatBytes(-1),
      formatRate(undefined),
      formatRate(0),
      formatBitRate(Number.POSITIVE_INFINITY),
      formatResolution(undefined),
      formatDate(undefined),
      formatDate('not a date'),
    ];
    expect(unknowns).to.deep.equal(Array(unknowns.length).fill(UNKNOWN));
    expect(durationLabel(undefined)).to.equal('unknown duration');
  });

  it('formats dates in the given locale', () => {
    expect(formatDate('2026-11-24T12:00:00.000Z', 'en-GB')).to.equal('24 Nov 2026');
  });

  it('says the status with its progress while in flight, clamped to 0–100', () => {
    expect(statusLabel({ status: 'TRANSCODING', progress: 41.6 })).to.equal('Transcoding 42%');
    expect(statusLabel({ status: 'UPLOADED' })).to.equal('Waiting for the file 0%');
    expect(statusLabel({ status: 'READY', progress: 100 })).to.equal('Ready');
    expect([-5, 250, Number.NaN, undefined].map(percent)).to.deep.equal([0, 100, 0, 0]);
  });
});
