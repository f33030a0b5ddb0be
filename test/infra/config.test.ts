import { expect } from 'chai';
import { InfraConfigError, STAGES, stageConfig } from '../../infra/config.ts';

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
  });
});
