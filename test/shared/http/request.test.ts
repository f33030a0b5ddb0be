import { expect } from 'chai';
import {
  BadRequestError,
  booleanParam,
  callerId,
  jsonBody,
  limitParam,
  pathParam,
  queryParam,
  UnauthorizedError,
} from '#shared/http';
import { apiEvent } from '../../support/api-event.ts';

const get = (query?: Record<string, string>) =>
  apiEvent({
    method: 'GET',
    routeKey: 'GET /videos',
    path: '/videos',
    sub: 'user-1',
    ...(query ? { query } : {}),
  });

describe('shared/http request', () => {
  describe('callerId', () => {
    it('returns the sub claim the authorizer verified', () => {
      expect(callerId(get())).to.equal('user-1');
    });

    it('throws UnauthorizedError when the claims carry no sub', () => {
      const event = apiEvent({ method: 'GET', routeKey: 'GET /videos', path: '/videos' });

      expect(() => callerId(event))
        .to.throw(UnauthorizedError)
        .with.property('statusCode', 401);
    });
  });

  describe('jsonBody', () => {
    const post = (body?: string, isBase64Encoded = false) => ({
      ...apiEvent({
        method: 'POST',
        routeKey: 'POST /uploads',
        path: '/uploads',
        sub: 'u',
        ...(body !== undefined ? { body } : {}),
      }),
      isBase64Encoded,
    });

    it('parses a JSON object', () => {
      expect(jsonBody(post('{"a":1}'))).to.deep.equal({ a: 1 });
    });

    it('decodes a base64-encoded body first', () => {
      expect(jsonBody(post(Buffer.from('{"a":2}').toString('base64'), true))).to.deep.equal({ a: 2 });
    });

    for (const [label, body] of [
      ['missing', undefined],
      ['empty', ''],
      ['not JSON', '{nope'],
      ['an array', '[1]'],
      ['null', 'null'],
      ['a string', '"x"'],
    ] as const) {
      it(`throws a 400 INVALID_JSON when the body is ${label}`, () => {
        expect(() => jsonBody(post(body)))
          .to.throw(BadRequestError)
          .that.includes({ statusCode: 400, code: 'INVALID_JSON' });
      });
    }
  });

  describe('query and path parameters', () => {
    it('treats an empty query parameter as absent', () => {
      expect(queryParam(get({ cursor: '' }), 'cursor')).to.equal(undefined);
      expect(queryParam(get({ cursor: 'abc' }), 'cursor')).to.equal('abc');
    });

    it('throws a 400 when a path parameter is missing', () => {
      expect(() => pathParam(get(), 'videoId')).to.throw(BadRequestError);
    });
  });

  describe('limitParam', () => {
    const options = { fallback: 20, max: 100 };

    it('uses the fallback when absent', () => {
      expect(limitParam(get(), options)).to.equal(20);
    });

    it('caps a large limit at the maximum', () => {
      expect(limitParam(get({ limit: '5000' }), options)).to.equal(100);
    });

    it('accepts a limit within range', () => {
      expect(limitParam(get({ limit: '7' }), options)).to.equal(7);
    });

    for (const bad of ['0', '-1', '2.5', 'ten', '1e3']) {
      it(`throws a 400 INVALID_LIMIT for "${bad}"`, () => {
        expect(() => limitParam(get({ limit: bad }), options))
          .to.throw(BadRequestError)
          .that.includes({ code: 'INVALID_LIMIT' });
      });
    }
  });

  describe('booleanParam', () => {
    it('reads true, false and absent', () => {
      expect(booleanParam(get({ mine: 'true' }), 'mine')).to.equal(true);
      expect(booleanParam(get({ mine: 'false' }), 'mine')).to.equal(false);
      expect(booleanParam(get(), 'mine')).to.equal(false);
    });

    it('throws a 400 for anything else', () => {
      expect(() => booleanParam(get({ mine: 'yes' }), 'mine')).to.throw(BadRequestError);
    });
  });
});
