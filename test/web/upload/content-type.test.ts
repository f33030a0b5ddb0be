import { expect } from 'chai';
import { uploadContentType } from '#web/upload/content-type.ts';

describe('web upload content type', () => {
  it("keeps the browser's type when it names a video", () => {
    expect(uploadContentType({ name: 'a.mkv', type: 'video/x-matroska' })).to.equal('video/x-matroska');
  });

  it('derives a video type from an accepted extension the browser did not type as video', () => {
    expect(uploadContentType({ name: 'clip.MTS', type: 'model/vnd.mts' })).to.equal('video/mp2t');
    expect(uploadContentType({ name: 'clip.mov', type: '' })).to.equal('video/quicktime');
  });

  it('leaves anything else as it is, for the rules to refuse with their message', () => {
    expect(uploadContentType({ name: 'notes.txt', type: 'text/plain' })).to.equal('text/plain');
    expect(uploadContentType({ name: 'blob', type: '' })).to.equal('application/octet-stream');
  });
});
