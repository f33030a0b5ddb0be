import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { expect } from 'chai';
import { type ListVideosDeps, listVideos } from '#functions/list-videos/core.ts';
import { BadRequestError } from '#shared/http';
import type { PlaybackUrls } from '#shared/playback';
import { DynamoVideoRepository } from '#shared/store';
import { type LocalVideoTable, startDynalite } from '../../support/dynalite.ts';
import { caught } from '../../support/errors.ts';

const playback: PlaybackUrls = {
  publicUrl: async (key) => `https://cdn.example.test/${key}`,
  privateUrl: async (key) => `https://bucket.example.test/${key}?signed`,
};

const id = (n: number) => `video${String(n).padStart(17, '0')}`;

/** A table item as the pipeline leaves it; `n` orders creation (higher is newer). */
function item(n: number, status: string, ownerId: string, visibility: 'public' | 'private' = 'public') {
  const videoId = id(n);
  const ready = status === 'READY';
  const key = `videos/${videoId}/720p.mp4`;
  return {
    videoId,
    status,
    createdAt: new Date(Date.UTC(2026, 10, 24, 10, n)).toISOString(),
    updatedAt: new Date(Date.UTC(2026, 10, 24, 11, n)).toISOString(),
    ownerId,
    source: { bucket: 'uploads', key: `uploads/${ownerId}/${videoId}/v.mp4`, filename: `v${n}.mp4` },
    visibility,
    jobComplete: ready,
    renditions: ready ? { '720p': { key } } : {},
    permissions: ready ? { '720p': { key, visibility } } : {},
    probes: {},
  };
}

describe('list-videos pagination (integration, dynalite)', () => {
  let table: LocalVideoTable;
  let deps: ListVideosDeps;

  before(async () => {
    table = await startDynalite();
    deps = {
      repository: new DynamoVideoRepository(table.documentClient, table.tableName),
      playback,
    };
    const items = [
      item(1, 'READY', 'alice'),
      item(2, 'TRANSCODING', 'alice'),
      item(3, 'READY', 'bob'),
      item(4, 'UPLOADED', 'alice'),
      item(5, 'READY', 'alice'),
      item(6, 'FAILED', 'bob'),
      item(7, 'READY', 'bob'),
      item(8, 'READY', 'alice'),
      // Private videos and a tombstone between the public ones: more of them than a page holds.
      item(9, 'READY', 'alice', 'private'),
      item(10, 'READY', 'bob', 'private'),
      item(11, 'READY', 'bob', 'private'),
      item(12, 'DELETED', 'alice'),
      item(13, 'READY', 'alice', 'private'),
      item(14, 'READY', 'carol'),
    ];
    for (const video of items) {
      await table.documentClient.send(new PutCommand({ TableName: table.tableName, Item: video }));
    }
  });
  after(() => table.stop());

  describe('the catalogue', () => {
    it('walks every public READY video newest first, page by page, with the cursor it hands out, past private ones', async () => {
      const seen: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await listVideos(
          { callerId: 'carol', mine: false, limit: 2, ...(cursor !== undefined ? { cursor } : {}) },
          deps,
        );
        seen.push(...page.items.map((video) => video.videoId));
        expect(
          page.items.every((video) => video.status === 'READY' && video.renditions.length === 1),
        ).to.equal(true);
        cursor = page.nextCursor;
        pages += 1;
      } while (cursor !== undefined && pages < 10);

      expect(seen).to.deep.equal([id(14), id(8), id(7), id(5), id(3), id(1)]);
      expect(pages).to.equal(3);
    });
  });

  describe('mine=true', () => {
    it("lists the caller's videos in every status, private ones too, never deleted ones, and nobody else's", async () => {
      const page = await listVideos({ callerId: 'alice', mine: true, limit: 100 }, deps);

      expect(page.items.map((video) => [video.videoId, video.status])).to.deep.equal([
        [id(13), 'READY'],
        [id(9), 'READY'],
        [id(8), 'READY'],
        [id(5), 'READY'],
        [id(4), 'UPLOADED'],
        [id(2), 'TRANSCODING'],
        [id(1), 'READY'],
      ]);
      expect(page.items.every((video) => video.mine)).to.equal(true);
      expect(
        page.items.filter((video) => video.visibility === 'private').map((v) => v.videoId),
      ).to.deep.equal([id(13), id(9)]);
    });

    it('pages past a tombstone without showing it', async () => {
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await listVideos(
          { callerId: 'alice', mine: true, limit: 1, ...(cursor !== undefined ? { cursor } : {}) },
          deps,
        );
        seen.push(...page.items.map((video) => video.videoId));
        cursor = page.nextCursor;
      } while (cursor !== undefined && seen.length < 20);

      expect(seen).to.deep.equal([id(13), id(9), id(8), id(5), id(4), id(2), id(1)]);
    });
  });

  describe('cursors', () => {
    it('refuses a catalogue cursor in the owner list with a 400', async () => {
      const first = await listVideos({ callerId: 'alice', mine: false, limit: 1 }, deps);

      const error = await caught(
        listVideos({ callerId: 'alice', mine: true, limit: 1, cursor: first.nextCursor ?? '' }, deps),
      );

      expect(error).to.be.instanceOf(BadRequestError).with.property('code', 'INVALID_CURSOR');
    });

    it("refuses another user's owner-list cursor with a 400", async () => {
      const bobs = await listVideos({ callerId: 'bob', mine: true, limit: 1 }, deps);

      const error = await caught(
        listVideos({ callerId: 'alice', mine: true, limit: 1, cursor: bobs.nextCursor ?? '' }, deps),
      );

      expect(error).to.be.instanceOf(BadRequestError).with.property('code', 'INVALID_CURSOR');
    });

    it('refuses a garbled cursor with a 400', async () => {
      const error = await caught(
        listVideos({ callerId: 'alice', mine: false, limit: 1, cursor: 'eyJub3QiOiJpdCJ9' }, deps),
      );

      expect(error).to.be.instanceOf(BadRequestError).with.property('code', 'INVALID_CURSOR');
    });
  });
});
