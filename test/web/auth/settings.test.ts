import { expect } from 'chai';
import type { AuthConfig } from '#web/app/config.ts';
import { oidcSettings, returnPathOf, returnState, signOutArgs } from '#web/auth/settings.ts';

const AUTH: AuthConfig = {
  authority: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbCdEf',
  clientId: 'client-1',
  redirectUri: 'https://app.example.com/callback',
  postLogoutRedirectUri: 'https://app.example.com/',
  scope: 'openid email profile',
};

describe('web auth settings', () => {
  describe('oidcSettings', () => {
    it('asks for the code flow with silent renewal, against the configured provider', () => {
      // Act
      const settings = oidcSettings(AUTH);

      // Assert
      expect(settings).to.deep.equal({
        authority: AUTH.authority,
        client_id: 'client-1',
        redirect_uri: 'https://app.example.com/callback',
        post_logout_redirect_uri: 'https://app.example.com/',
        scope: 'openid email profile',
        response_type: 'code',
        automaticSilentRenew: true,
      });
    });

    it("seeds Cognito's end-session endpoint, which its discovery leaves out", () => {
      // Act
      const settings = oidcSettings({ ...AUTH, endSessionEndpoint: 'https://auth.example.com/logout' });

      // Assert
      expect(settings.metadataSeed).to.deep.equal({
        end_session_endpoint: 'https://auth.example.com/logout',
      });
    });
  });

  describe('signOutArgs', () => {
    it("sends Cognito's client_id and logout_uri", () => {
      expect(signOutArgs(AUTH)).to.deep.equal({
        extraQueryParams: { client_id: 'client-1', logout_uri: 'https://app.example.com/' },
      });
    });
  });

  describe('returnPathOf', () => {
    it('returns to the same-origin path, query and fragment kept in the sign-in state', () => {
      expect(returnPathOf({ returnTo: '/videos/abc?quality=720p#t' })).to.equal('/videos/abc?quality=720p#t');
    });

    it('falls back to the library for anything that could leave the site, or loop', () => {
      for (const returnTo of [
        '//evil.example',
        'https://evil.example/',
        '/\\evil.example',
        'mine',
        '/callback?code=1',
        7,
      ]) {
        expect(returnPathOf({ returnTo }), String(returnTo)).to.equal('/');
      }
      expect(returnPathOf(undefined)).to.equal('/');
      expect(returnPathOf(null)).to.equal('/');
    });
  });

  describe('returnState', () => {
    it('keeps where the user is', () => {
      expect(returnState({ pathname: '/mine', search: '?x=1', hash: '' })).to.deep.equal({
        returnTo: '/mine?x=1',
      });
    });
  });
});
