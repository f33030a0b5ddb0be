import { expect } from 'chai';
import { postToS3, UploadError } from '#web/upload/s3-post.ts';
import { caught } from '../../support/errors.ts';
import { FakeXhr, s3ErrorXml } from '../../support/fake-xhr.ts';

const TICKET = {
  url: 'https://uploads.s3.amazonaws.com/',
  fields: {
    key: 'uploads/u/v/holiday.mp4',
    'Content-Type': 'video/mp4',
    Policy: 'cG9saWN5',
    'X-Amz-Signature': 'sig',
  },
};

function start() {
  const xhr = new FakeXhr();
  const progress: number[] = [];
  const file = new File([new Uint8Array(1000)], 'holiday.mp4', { type: 'video/mp4' });
  const transfer = postToS3(TICKET, file, {
    createXhr: () => xhr,
    onProgress: (loaded) => progress.push(loaded),
  });
  return { xhr, progress, transfer, file };
}

describe('web upload postToS3', () => {
  it('POSTs a multipart form to the ticket URL: every field first, in order, then the file', () => {
    // Act
    const { xhr, file } = start();

    // Assert
    expect(xhr.method).to.equal('POST');
    expect(xhr.url).to.equal(TICKET.url);
    const entries = [...(xhr.body?.entries() ?? [])];
    expect(entries.map(([name]) => name)).to.deep.equal([...Object.keys(TICKET.fields), 'file']);
    expect(entries.slice(0, 4).map(([, value]) => value)).to.deep.equal(Object.values(TICKET.fields));
    const sent = entries.at(-1)?.[1] as File;
    expect([sent.name, sent.size]).to.deep.equal([file.name, 1000]);
  });

  it("reports the file's share of the bytes sent (the form is larger than the file), then all of it", async () => {
    // Arrange
    const { xhr, progress, transfer } = start();

    // Act
    xhr.progress(0, 1200);
    xhr.progress(600, 1200);
    xhr.progress(1200, 1200);
    xhr.respond(204);
    await transfer.done;

    // Assert
    expect(progress).to.deep.equal([0, 500, 1000, 1000]);
  });

  it("rejects with S3's reason when storage refuses the file", async () => {
    // Arrange
    const { xhr, transfer } = start();

    // Act
    xhr.respond(
      400,
      s3ErrorXml(
        'EntityTooLarge',
        'Your proposed upload exceeds the maximum allowed size',
        '<ProposedSize>3</ProposedSize><MaxSizeAllowed>2147483648</MaxSizeAllowed>',
      ),
    );
    const error = await caught(transfer.done);

    // Assert
    expect(error).to.be.instanceOf(UploadError).and.deep.include({ kind: 'storage' });
    expect((error as Error).message).to.equal(
      'Storage refused the file: it is larger than the upload limit of 2.0 GB.',
    );
  });

  it('tells an expired upload link apart, so a retry gets a new one', async () => {
    // Arrange
    const { xhr, transfer } = start();

    // Act
    xhr.respond(403, s3ErrorXml('AccessDenied', 'Invalid according to Policy: Policy expired.'));
    const error = await caught(transfer.done);

    // Assert
    expect(error).to.deep.include({ kind: 'expired' });
  });

  it('rejects as a network failure when the connection drops', async () => {
    // Arrange
    const { xhr, transfer } = start();

    // Act
    xhr.progress(300, 1200);
    xhr.fail();
    const error = await caught(transfer.done);

    // Assert
    expect(error).to.be.instanceOf(UploadError).and.deep.include({ kind: 'network' });
    expect((error as Error).message).to.equal(
      'The upload was interrupted: the connection to storage was lost. Check your connection and retry.',
    );
  });

  it('aborts the request on cancel and rejects as cancelled', async () => {
    // Arrange
    const { xhr, transfer } = start();

    // Act
    transfer.abort();
    const error = await caught(transfer.done);

    // Assert
    expect(xhr.aborted).to.equal(true);
    expect(error).to.deep.include({ kind: 'cancelled' });
  });
});
