import { expect } from 'chai';
import {
  isRendition,
  isTerminal,
  RENDITION_SPECS,
  RENDITIONS,
  TERMINAL_STATUSES,
  VIDEO_STATUSES,
} from '#shared/video';

describe('unit', () => {
  describe('statuses and renditions', () => {
    it('has exactly the six statuses, four of them terminal, the tombstone among them', () => {
      expect(VIDEO_STATUSES).to.deep.equal([
        'UPLOADED',
        'TRANSCODING',
        'READY',
        'FAILED',
        'REJECTED',
        'DELETED',
      ]);
      expect(VIDEO_STATUSES.filter(isTerminal)).to.deep.equal([...TERMINAL_STATUSES]);
      expect(TERMINAL_STATUSES).to.deep.equal(['READY', 'FAILED', 'REJECTED', 'DELETED']);
    });

    it('has the three renditions, highest first, each with a spec', () => {
      expect(RENDITIONS).to.deep.equal(['1080p', '720p', 'web-720p']);
      expect(Object.keys(RENDITION_SPECS).sort()).to.deep.equal([...RENDITIONS].sort());
    });

    it('recognises rendition names and nothing else', () => {
      expect(RENDITIONS.every(isRendition)).to.equal(true);
      expect(['480p', '1080P', '', 'web'].some(isRendition)).to.equal(false);
    });
  });
});
