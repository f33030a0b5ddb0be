import { expect } from 'chai';
import { type VideoPages, videosOf, withoutVideo, withVideo } from '#web/api/cache.ts';
import type { VideoView } from '#web/api/types.ts';

function video(videoId: string, title?: string): VideoView {
  return {
    videoId,
    status: 'READY',
    visibility: 'public',
    createdAt: '2026-11-24T12:00:00.000Z',
    updatedAt: '2026-11-24T12:00:00.000Z',
    mine: true,
    renditions: [],
    ...(title ? { title } : {}),
  };
}

const pages = (): VideoPages => ({
  pages: [{ items: [video('a'), video('b')], nextCursor: 'c' }, { items: [video('c')] }],
  pageParams: [undefined, 'c'],
});

describe('web query cache helpers', () => {
  it('removes a deleted video from whichever page holds it, keeping the cursors', () => {
    // Act
    const after = withoutVideo(pages(), 'c');

    // Assert
    expect(videosOf(after).map((v) => v.videoId)).to.deep.equal(['a', 'b']);
    expect(after?.pages[0]?.nextCursor).to.equal('c');
    expect(after?.pageParams).to.deep.equal([undefined, 'c']);
  });

  it('replaces an updated video in place', () => {
    // Act
    const after = withVideo(pages(), video('b', 'Renamed'));

    // Assert
    expect(videosOf(after).map((v) => v.title ?? v.videoId)).to.deep.equal(['a', 'Renamed', 'c']);
  });

  it('returns the very same data when the video is not in the list (no needless re-render)', () => {
    // Arrange
    const data = pages();

    // Act / Assert
    expect(withoutVideo(data, 'zzz')).to.equal(data);
    expect(withVideo(data, video('zzz'))).to.equal(data);
    expect(withoutVideo(undefined, 'a')).to.equal(undefined);
    expect(videosOf(undefined)).to.deep.equal([]);
  });
});
