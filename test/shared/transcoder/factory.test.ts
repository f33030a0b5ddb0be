import {
  CancelJobCommand as CancelEtJobCommand,
  ElasticTranscoderClient,
} from '@aws-sdk/client-elastic-transcoder';
import { CancelJobCommand, MediaConvertClient } from '@aws-sdk/client-mediaconvert';
import { mockClient } from 'aws-sdk-client-mock';
import { expect } from 'chai';
import {
  createJobControl,
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

describe('createJobControl', () => {
  it('cancels MediaConvert jobs with only a MediaConvert client', async () => {
    const client = new MediaConvertClient({ region: 'us-east-1' });
    const mock = mockClient(client);
    mock.on(CancelJobCommand).resolves({});
    try {
      const canceller = createJobControl('mediaconvert', { mediaConvert: client });

      expect(canceller.backend).to.equal('mediaconvert');
      expect(await canceller.cancelJob('job-1')).to.equal('canceled');
      expect(mock.commandCalls(CancelJobCommand)[0]?.args[0].input).to.deep.equal({ Id: 'job-1' });
    } finally {
      mock.restore();
    }
  });

  it('cancels Elastic Transcoder jobs with only an Elastic Transcoder client', async () => {
    const client = new ElasticTranscoderClient({ region: 'us-east-1' });
    const mock = mockClient(client);
    mock.on(CancelEtJobCommand).resolves({});
    try {
      const canceller = createJobControl('elastic-transcoder', { elasticTranscoder: client });

      expect(await canceller.cancelJob('job-1')).to.equal('canceled');
      expect(mock.commandCalls(CancelEtJobCommand)[0]?.args[0].input).to.deep.equal({ Id: 'job-1' });
    } finally {
      mock.restore();
    }
  });

  it("refuses to build without the backend's client", () => {
    const elasticTranscoder = new ElasticTranscoderClient({ region: 'us-east-1' });

    expect(() => createJobControl('mediaconvert', { elasticTranscoder })).to.throw(
      UnsupportedTranscoderError,
      /mediaconvert client/,
    );
  });
});
