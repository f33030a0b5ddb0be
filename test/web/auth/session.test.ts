import { expect } from 'chai';
import type { User } from 'oidc-client-ts';
import sinon from 'sinon';
import {
  type Memo,
  REAUTH_WINDOW_MS,
  reauthenticator,
  type SessionManager,
  tokenSource,
} from '#web/auth/session.ts';

function user(accessToken: string, expiresIn: number, refreshToken?: string): User {
  return { access_token: accessToken, expires_in: expiresIn, refresh_token: refreshToken } as unknown as User;
}

function manager(stored: User | null, renewed?: User | Error) {
  return {
    getUser: sinon.stub().resolves(stored),
    signinSilent:
      renewed instanceof Error ? sinon.stub().rejects(renewed) : sinon.stub().resolves(renewed ?? null),
    signinRedirect: sinon.stub().resolves(),
    signoutRedirect: sinon.stub().resolves(),
    removeUser: sinon.stub().resolves(),
  } satisfies SessionManager;
}

class MemoryMemo implements Memo {
  readonly items = new Map<string, string>();
  getItem(key: string) {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string) {
    this.items.set(key, value);
  }
}

describe('web auth session', () => {
  describe('tokenSource', () => {
    it("hands out a fresh user's access token without renewing", async () => {
      // Arrange
      const fake = manager(user('at-1', 300, 'rt'));

      // Act
      const token = await tokenSource(fake, () => undefined)();

      // Assert
      expect(token).to.equal('at-1');
      expect(fake.signinSilent.callCount).to.equal(0);
    });

    it('renews an expired token with the refresh token once, however many requests wait for it', async () => {
      // Arrange
      const fake = manager(user('old', 5, 'rt'), user('new', 3600, 'rt2'));
      const accessToken = tokenSource(fake, () => undefined);

      // Act
      const tokens = await Promise.all([accessToken(), accessToken(), accessToken()]);

      // Assert
      expect(tokens).to.deep.equal(['new', 'new', 'new']);
      expect(fake.signinSilent.callCount).to.equal(1);
    });

    it('gives no token (so the app asks for sign-in) when renewal fails, and logs why', async () => {
      // Arrange
      const failure = new Error('invalid_grant');
      const fake = manager(user('old', -10, 'rt'), failure);
      const log = sinon.spy();

      // Act
      const token = await tokenSource(fake, log)();

      // Assert
      expect(token).to.equal(undefined);
      expect(log.calledOnceWithExactly('token renewal failed; signing in again', failure)).to.equal(true);
    });

    it('gives no token when signed out, or expired without a refresh token', async () => {
      expect(await tokenSource(manager(null), () => undefined)()).to.equal(undefined);
      const noRefresh = manager(user('old', -1));
      expect(await tokenSource(noRefresh, () => undefined)()).to.equal(undefined);
      expect(noRefresh.signinSilent.callCount).to.equal(0);
    });
  });

  describe('reauthenticator', () => {
    it('sends the user through sign-in back to where they are, but not twice in a row', () => {
      // Arrange
      const fake = manager(null);
      const memo = new MemoryMemo();
      let now = 1_000_000;
      const onUnauthorized = reauthenticator({
        manager: fake,
        memo,
        now: () => now,
        returnTo: () => ({ returnTo: '/videos/abc' }),
        log: () => undefined,
      });

      // Act
      const first = onUnauthorized();
      now += REAUTH_WINDOW_MS - 1;
      const again = onUnauthorized();
      now += 1;
      const later = onUnauthorized();

      // Assert
      expect([first, again, later]).to.deep.equal([true, false, true]);
      expect(fake.signinRedirect.callCount).to.equal(2);
      expect(fake.signinRedirect.firstCall.args).to.deep.equal([{ state: { returnTo: '/videos/abc' } }]);
    });

    it('drops the refused session when the sign-in page cannot be reached, so Sign in is offered', async () => {
      // Arrange
      const fake = manager(null);
      const failure = new TypeError('Failed to fetch');
      fake.signinRedirect.rejects(failure);
      const log = sinon.spy();
      const onUnauthorized = reauthenticator({
        manager: fake,
        memo: new MemoryMemo(),
        now: () => 1,
        returnTo: () => ({ returnTo: '/' }),
        log,
      });

      // Act
      const redirecting = onUnauthorized();
      await new Promise((resolve) => setImmediate(resolve));

      // Assert
      expect(redirecting).to.equal(true);
      expect(
        log.calledOnceWithExactly('sign-in redirect failed; dropping the refused session', failure),
      ).to.equal(true);
      expect(fake.removeUser.callCount).to.equal(1);
    });
  });
});
