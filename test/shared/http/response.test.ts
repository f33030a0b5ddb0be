import { expect } from 'chai';
import sinon from 'sinon';
import { BadRequestError, httpHandler, NotFoundError } from '#shared/http';
import { errorResponse, jsonResponse } from '#shared/http/response';
import { apiEvent } from '../../support/api-event.ts';

const ORIGIN = 'https://app.example.test';

describe('shared/http responses', () => {
  describe('jsonResponse', () => {
    it('serializes the body as JSON with CORS headers for the allowed origin', () => {
      const result = jsonResponse(201, { a: 1 }, { allowedOrigin: ORIGIN, headers: { location: '/x' } });

      expect(result.statusCode).to.equal(201);
      expect(JSON.parse(result.body ?? '')).to.deep.equal({ a: 1 });
      expect(result.headers).to.include({
        'content-type': 'application/json; charset=utf-8',
        'access-control-allow-origin': ORIGIN,
        location: '/x',
      });
    });
  });

  describe('errorResponse', () => {
    it('keeps the status, code and message of an HttpError', () => {
      const result = errorResponse(new BadRequestError('TOO_LARGE', 'too big'), { allowedOrigin: ORIGIN });

      expect(result.statusCode).to.equal(400);
      expect(JSON.parse(result.body ?? '')).to.deep.equal({ code: 'TOO_LARGE', message: 'too big' });
    });

    it('answers any other error with an opaque 500 that leaks neither message nor stack', () => {
      const error = new Error('ResourceNotFoundException: table arn:aws:dynamodb:secret');

      const result = errorResponse(error, { allowedOrigin: ORIGIN });

      expect(result.statusCode).to.equal(500);
      expect(result.body).not.to.include('secret');
      expect(result.body).not.to.include('at ');
      expect(JSON.parse(result.body ?? '')).to.have.property('code', 'INTERNAL_ERROR');
      expect(result.headers).to.include({ 'access-control-allow-origin': ORIGIN });
    });
  });

  describe('httpHandler', () => {
    const event = () => apiEvent({ method: 'GET', routeKey: 'GET /videos', path: '/videos', sub: 'u' });
    const logger = () => ({ info: sinon.spy(), error: sinon.spy() });

    it('wraps the route result in a JSON response', async () => {
      const handler = httpHandler(async () => ({ statusCode: 200, body: { ok: true } }), {
        allowedOrigin: ORIGIN,
        logger: logger(),
      });

      const result = await handler(event());

      expect(result.statusCode).to.equal(200);
      expect(JSON.parse(result.body ?? '')).to.deep.equal({ ok: true });
    });

    it('answers 204 with no body and no content type, but with CORS headers', async () => {
      const handler = httpHandler(async () => ({ statusCode: 204 }), {
        allowedOrigin: ORIGIN,
        logger: logger(),
      });

      const result = await handler(event());

      expect(result.statusCode).to.equal(204);
      expect(result.body).to.equal('');
      expect(result.headers).not.to.have.property('content-type');
      expect(result.headers).to.include({
        'access-control-allow-origin': ORIGIN,
        'cache-control': 'no-store',
      });
    });

    it('maps an HttpError to its status and logs it as a refusal with the request keys', async () => {
      const log = logger();
      const handler = httpHandler(
        async () => {
          throw new NotFoundError('gone');
        },
        { allowedOrigin: ORIGIN, logger: log, logKeys: () => ({ videoId: 'v1' }) },
      );

      const result = await handler(event());

      expect(result.statusCode).to.equal(404);
      expect(log.error.called).to.equal(false);
      expect(log.info.firstCall.args).to.deep.equal([
        'request refused',
        { videoId: 'v1', statusCode: 404, code: 'NOT_FOUND', reason: 'gone' },
      ]);
    });

    it('logs an unexpected error with its object and answers 500', async () => {
      const log = logger();
      const failure = new Error('boom');
      const handler = httpHandler(
        async () => {
          throw failure;
        },
        { allowedOrigin: ORIGIN, logger: log },
      );

      const result = await handler(event());

      expect(result.statusCode).to.equal(500);
      expect(log.error.calledOnceWith('request failed', failure)).to.equal(true);
      expect(log.error.firstCall.args[2]).to.deep.equal({ routeKey: 'GET /videos' });
      expect(result.body).not.to.include('boom');
    });
  });
});
