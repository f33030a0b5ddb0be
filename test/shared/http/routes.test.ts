import { expect } from 'chai';
import { API_ROUTES, corsMethods, matchRoute, routeKey } from '#shared/http';

const route = (path: string) => {
  const found = API_ROUTES.find((candidate) => candidate.path === path);
  if (!found) throw new Error(`no route ${path}`);
  return found;
};

describe('shared/http routes', () => {
  describe('API_ROUTES', () => {
    it('lists the five routes with their functions', () => {
      expect(API_ROUTES.map((r) => [routeKey(r), r.functionName])).to.deep.equal([
        ['POST /uploads', 'create-upload'],
        ['GET /videos', 'list-videos'],
        ['GET /videos/{videoId}', 'get-video'],
        ['PATCH /videos/{videoId}', 'update-video'],
        ['DELETE /videos/{videoId}', 'request-deletion'],
      ]);
    });
  });

  describe('corsMethods', () => {
    it('allows every method the routes use, once each, and OPTIONS for preflights', () => {
      expect(corsMethods()).to.deep.equal(['POST', 'GET', 'PATCH', 'DELETE', 'OPTIONS']);
    });
  });

  describe('matchRoute', () => {
    it('extracts and decodes path parameters', () => {
      expect(matchRoute(route('/videos/{videoId}'), 'GET', '/videos/a%20b')).to.deep.equal({
        videoId: 'a b',
      });
    });

    it('matches a route without parameters', () => {
      expect(matchRoute(route('/videos'), 'get', '/videos')).to.deep.equal({});
    });

    it('tells the methods of one path apart', () => {
      const patch = API_ROUTES.find((r) => r.method === 'PATCH');
      const remove = API_ROUTES.find((r) => r.method === 'DELETE');

      expect(patch && matchRoute(patch, 'PATCH', '/videos/abc')).to.deep.equal({ videoId: 'abc' });
      expect(patch && matchRoute(patch, 'DELETE', '/videos/abc')).to.equal(undefined);
      expect(remove && matchRoute(remove, 'delete', '/videos/abc')).to.deep.equal({ videoId: 'abc' });
    });

    it('does not match another method, a longer path or an empty parameter', () => {
      expect(matchRoute(route('/videos'), 'POST', '/videos')).to.equal(undefined);
      expect(matchRoute(route('/videos/{videoId}'), 'GET', '/videos/a/b')).to.equal(undefined);
      expect(matchRoute(route('/videos/{videoId}'), 'GET', '/videos/')).to.equal(undefined);
    });

    it('does not match a malformed percent-encoding', () => {
      expect(matchRoute(route('/videos/{videoId}'), 'GET', '/videos/%E0%A4%A')).to.equal(undefined);
    });
  });
});
