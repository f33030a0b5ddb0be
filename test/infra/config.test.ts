import { expect } from 'chai';
import {
  InfraConfigError,
  LOCAL_DEV_WEB_ORIGIN,
  LOCAL_WEB_ORIGIN,
  LOCALHOST_DEV_WEB_ORIGIN,
  STAGES,
  stageConfig,
  webOrigins,
} from '#infra/config.ts';

const CERTIFICATE = 'arn:aws:acm:us-east-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b';

describe('infra config', () => {
  describe('stageConfig', () => {
    it('defaults every stage to MediaConvert', () => {
      for (const stage of STAGES) expect(stageConfig(stage, {}).transcoder).to.equal('mediaconvert');
    });

    it('lets VIDEO_TRANSCODER choose Elastic Transcoder at synth time', () => {
      expect(stageConfig('dev', { VIDEO_TRANSCODER: 'elastic-transcoder' }).transcoder).to.equal(
        'elastic-transcoder',
      );
      expect(stageConfig('local', { VIDEO_TRANSCODER: ' mediaconvert ' }).transcoder).to.equal(
        'mediaconvert',
      );
    });

    it('rejects an unknown backend, naming the variable and the choices', () => {
      expect(() => stageConfig('dev', { VIDEO_TRANSCODER: 'ffmpeg' }))
        .to.throw(InfraConfigError)
        .with.property('message')
        .that.contains('VIDEO_TRANSCODER="ffmpeg"')
        .and.contains('mediaconvert, elastic-transcoder');
    });

    it('gives every stage the source-aware ladder, and lets RENDITION_LADDER=full turn it off at synth time', () => {
      for (const stage of STAGES) expect(stageConfig(stage, {}).renditionLadder).to.equal('source');
      expect(stageConfig('local', { RENDITION_LADDER: ' full ' }).renditionLadder).to.equal('full');
      expect(() => stageConfig('dev', { RENDITION_LADDER: 'half' }))
        .to.throw(InfraConfigError)
        .with.property('message')
        .that.contains('RENDITION_LADDER="half"')
        .and.contains('source, full');
    });

    it('protects prod only', () => {
      expect(stageConfig('prod', {}).deletionProtection).to.equal(true);
      expect(stageConfig('dev', {}).deletionProtection).to.equal(false);
      expect(stageConfig('local', {}).deletionProtection).to.equal(false);
    });

    it('derives the name prefix from NAME_PREFIX and the stage, and rejects unusable ones', () => {
      expect(stageConfig('dev', { NAME_PREFIX: 'acme-video' }).namePrefix).to.equal('acme-video-dev');
      expect(() => stageConfig('dev', { NAME_PREFIX: 'Acme_Video' })).to.throw(
        InfraConfigError,
        /bucket names/,
      );
    });

    it('enables the S3 backend for dev and prod only when a state bucket is given', () => {
      expect(stageConfig('prod', {}).remoteState).to.equal(undefined);
      expect(stageConfig('prod', { TF_STATE_BUCKET: 'state' }).remoteState).to.deep.equal({
        bucket: 'state',
        key: '24-hour-video/prod.tfstate',
        region: 'us-east-1',
      });
      expect(stageConfig('local', { TF_STATE_BUCKET: 'state' }).remoteState).to.equal(undefined);
    });

    it('hosts the web app on CloudFront in dev and prod; the local cloud serves it on 127.0.0.1:4173', () => {
      expect(stageConfig('dev', {}).web).to.deep.equal({ hosting: 'cloudfront', customDomain: undefined });
      expect(stageConfig('prod', {}).web).to.deep.equal({ hosting: 'cloudfront', customDomain: undefined });
      expect(stageConfig('local', {}).web).to.deep.equal({ hosting: 'local', origin: LOCAL_WEB_ORIGIN });
    });

    it('registers the Vite dev server where it can sign in: localhost for Cognito (dev), 127.0.0.1 locally, none in prod', () => {
      expect(stageConfig('dev', {}).devWebOrigins).to.deep.equal([LOCALHOST_DEV_WEB_ORIGIN]);
      expect(stageConfig('prod', {}).devWebOrigins).to.deep.equal([]);
      expect(
        webOrigins({ webOrigin: LOCAL_WEB_ORIGIN, devWebOrigins: stageConfig('local', {}).devWebOrigins }),
      ).to.deep.equal(['http://127.0.0.1:4173', LOCAL_DEV_WEB_ORIGIN]);
    });

    it('configures no external identity provider by default', () => {
      for (const stage of STAGES) expect(stageConfig(stage, {}).identityProviders).to.deep.equal([]);
    });

    it('serves dev or prod at WEB_DOMAIN with the WEB_CERTIFICATE_ARN certificate, lower-cased', () => {
      expect(
        stageConfig('prod', { WEB_DOMAIN: ' Video.Example.COM ', WEB_CERTIFICATE_ARN: CERTIFICATE }).web,
      ).to.deep.equal({
        hosting: 'cloudfront',
        customDomain: { name: 'video.example.com', certificateArn: CERTIFICATE },
      });
    });

    it('ignores the custom domain for the local stage, which deploys nothing', () => {
      expect(
        stageConfig('local', { WEB_DOMAIN: 'video.example.com', WEB_CERTIFICATE_ARN: CERTIFICATE }).web,
      ).to.deep.equal({ hosting: 'local', origin: LOCAL_WEB_ORIGIN });
    });

    it('serves the renditions of dev or prod at MEDIA_DOMAIN with MEDIA_CERTIFICATE_ARN, never locally', () => {
      const env = { MEDIA_DOMAIN: 'Media.Example.com', MEDIA_CERTIFICATE_ARN: CERTIFICATE };
      expect(stageConfig('dev', {}).mediaDomain).to.equal(undefined);
      expect(stageConfig('prod', env).mediaDomain).to.deep.equal({
        name: 'media.example.com',
        certificateArn: CERTIFICATE,
      });
      expect(stageConfig('local', env).mediaDomain).to.equal(undefined);
      expect(() => stageConfig('dev', { MEDIA_DOMAIN: 'media.example.com' })).to.throw(
        InfraConfigError,
        /MEDIA_DOMAIN and MEDIA_CERTIFICATE_ARN go together: set both to serve the renditions/,
      );
      expect(() =>
        stageConfig('dev', { MEDIA_DOMAIN: 'media.example.com', MEDIA_CERTIFICATE_ARN: 'arn:aws:acm:x' }),
      ).to.throw(InfraConfigError, /MEDIA_CERTIFICATE_ARN="arn:aws:acm:x" is not an ACM certificate ARN/);
    });

    it('rejects a domain without certificate, a URL for a host name, and a certificate outside us-east-1', () => {
      expect(() => stageConfig('dev', { WEB_DOMAIN: 'video.example.com' })).to.throw(
        InfraConfigError,
        /WEB_DOMAIN and WEB_CERTIFICATE_ARN go together/,
      );
      expect(() => stageConfig('dev', { WEB_CERTIFICATE_ARN: CERTIFICATE })).to.throw(
        InfraConfigError,
        /go together/,
      );
      expect(() =>
        stageConfig('dev', { WEB_DOMAIN: 'https://video.example.com/', WEB_CERTIFICATE_ARN: CERTIFICATE }),
      ).to.throw(InfraConfigError, /is not a host name/);
      expect(() =>
        stageConfig('dev', {
          WEB_DOMAIN: 'video.example.com',
          WEB_CERTIFICATE_ARN: CERTIFICATE.replace('us-east-1', 'eu-west-1'),
        }),
      ).to.throw(InfraConfigError, /in us-east-1/);
    });
  });
});
