import { expect } from 'chai';
import {
  contentSecurityPolicy,
  InvalidContentSourceError,
  securityHeaders,
  type WebContentSources,
} from '#shared/web';

const SOURCES: WebContentSources = {
  connect: [
    'https://*.execute-api.us-east-1.amazonaws.com',
    'https://cognito-idp.us-east-1.amazonaws.com',
    'https://app-auth.auth.us-east-1.amazoncognito.com',
    'https://app-uploads.s3.us-east-1.amazonaws.com',
  ],
  media: ['https://d111.cloudfront.net', 'https://app-transcoded.s3.us-east-1.amazonaws.com'],
  formAction: ['https://app-auth.auth.us-east-1.amazoncognito.com'],
};

/** The policy as directive → sources. */
function directives(policy: string): Record<string, string[]> {
  return Object.fromEntries(
    policy.split('; ').map((directive) => {
      const [name, ...values] = directive.split(' ');
      return [name, values];
    }),
  );
}

describe('shared/web security headers', () => {
  describe('contentSecurityPolicy', () => {
    const csp = directives(contentSecurityPolicy(SOURCES));

    it("allows only the app's own scripts and styles: no unsafe-inline, no eval", () => {
      expect(csp['script-src']).to.deep.equal(["'self'"]);
      expect(csp['style-src']).to.deep.equal(["'self'"]);
      expect(contentSecurityPolicy(SOURCES)).not.to.match(/unsafe-inline|unsafe-eval|\*;|\s\*\s/);
    });

    it('falls back to self, forbids plugins and framing, pins <base>', () => {
      expect(csp['default-src']).to.deep.equal(["'self'"]);
      expect(csp['object-src']).to.deep.equal(["'none'"]);
      expect(csp['frame-ancestors']).to.deep.equal(["'none'"]);
      expect(csp['base-uri']).to.deep.equal(["'self'"]);
    });

    it('connects to self and each given origin (API, sign-in, upload bucket)', () => {
      expect(csp['connect-src']).to.deep.equal(["'self'", ...SOURCES.connect]);
    });

    it('plays video and shows posters from self and the media origins; images also from data:', () => {
      expect(csp['media-src']).to.deep.equal(["'self'", ...SOURCES.media]);
      expect(csp['img-src']).to.deep.equal(["'self'", 'data:', ...SOURCES.media]);
    });

    it('submits forms to self and the sign-in pages only', () => {
      expect(csp['form-action']).to.deep.equal([
        "'self'",
        'https://app-auth.auth.us-east-1.amazoncognito.com',
      ]);
    });

    it('lists a source once however often it is given', () => {
      const twice = directives(
        contentSecurityPolicy({ ...SOURCES, connect: [...SOURCES.connect, ...SOURCES.connect] }),
      );
      expect(twice['connect-src']).to.deep.equal(["'self'", ...SOURCES.connect]);
    });

    it('accepts Terraform references standing for origins', () => {
      const cdn = `https://\${aws_cloudfront_distribution.cdn.domain_name}`;
      const policy = contentSecurityPolicy({ ...SOURCES, media: [cdn] });
      expect(directives(policy)['media-src']).to.deep.equal(["'self'", cdn]);
    });

    for (const bad of ["'unsafe-inline'", 'https://a.example; script-src *', 'https://a b', '*', 'data:']) {
      it(`refuses ${JSON.stringify(bad)} as a source, naming it`, () => {
        expect(() => contentSecurityPolicy({ ...SOURCES, connect: [bad] }))
          .to.throw(InvalidContentSourceError)
          .with.property('message')
          .that.contains(bad)
          .and.contains('connect-src');
      });
    }
  });

  describe('securityHeaders', () => {
    it('sends the CSP, HSTS (two years, subdomains), nosniff, DENY framing and the referrer policy over HTTPS', () => {
      expect(securityHeaders(SOURCES, { https: true })).to.deep.equal({
        'Content-Security-Policy': contentSecurityPolicy(SOURCES),
        'Strict-Transport-Security': 'max-age=63072000; includeSubDomains',
        'X-Content-Type-Options': 'nosniff',
        'X-Frame-Options': 'DENY',
        'Referrer-Policy': 'strict-origin-when-cross-origin',
      });
    });

    it('leaves HSTS out over plain HTTP (a local server), keeping everything else', () => {
      const headers = securityHeaders(SOURCES, { https: false });
      expect(headers).not.to.have.property('Strict-Transport-Security');
      expect(headers['Content-Security-Policy']).to.equal(contentSecurityPolicy(SOURCES));
      expect(headers['X-Content-Type-Options']).to.equal('nosniff');
    });
  });
});
