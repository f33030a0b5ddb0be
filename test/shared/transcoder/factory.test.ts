import { ElasticTranscoderClient } from '@aws-sdk/client-elastic-transcoder';
import { MediaConvertClient } from '@aws-sdk/client-mediaconvert';
import { expect } from 'chai';
import {
  createTranscoder,
  ElasticTranscoderTranscoder,
  MediaConvertTranscoder,
  UnsupportedTranscoderError,
} from '#shared/transcoder';

describe('createTranscoder', () => {
  describe('elastic-transcoder', () => {
    it('builds the Elastic Transcoder adapter from its settings', () => {
      // Arrange
      const client = new ElasticTranscoderClient({ region: 'us-east-1' });

      // Act
      const transcoder = createTranscoder('elastic-transcoder', {
        elasticTranscoder: { client, pipelineId: 'p' },
      });

      // Assert
      expect(transcoder).to.be.instanceOf(ElasticTranscoderTranscoder);
      expect(transcoder.backend).to.equal('elastic-transcoder');
    });

    it('refuses to build without its settings, naming the variable', () => {
      expect(() => createTranscoder('elastic-transcoder', {})).to.throw(
        UnsupportedTranscoderError,
        /ELASTIC_TRANSCODER_PIPELINE_ID/,
      );
    });
  });

  describe('mediaconvert', () => {
    it('builds the MediaConvert adapter from its settings', () => {
      // Arrange
      const client = new MediaConvertClient({ region: 'us-east-1' });

      // Act
      const transcoder = createTranscoder('mediaconvert', {
        mediaConvert: { client, queueArn: 'q', roleArn: 'r', outputBucket: 'b' },
      });

      // Assert
      expect(transcoder).to.be.instanceOf(MediaConvertTranscoder);
      expect(transcoder.backend).to.equal('mediaconvert');
    });

    it('refuses to build without its settings, naming the variables', () => {
      expect(() => createTranscoder('mediaconvert', {})).to.throw(
        UnsupportedTranscoderError,
        /MEDIACONVERT_QUEUE_ARN.*MEDIACONVERT_ROLE_ARN/,
      );
    });
  });
});
