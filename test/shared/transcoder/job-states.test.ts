import { expect } from 'chai';
import {
  jobStateMessages,
  parseJobStateMessage,
  parseJobStates,
  UnrecognizedJobStateError,
} from '#shared/transcoder';
import { loadEventFixture, loadNotification, snsEventOf } from '#test/support/fixtures.ts';

describe('parseJobStates', () => {
  describe('Elastic Transcoder notifications over SNS', () => {
    it('parses the notification of an SNS event fixture', () => {
      // Arrange
      const event = loadEventFixture('elastic-transcoder-completed');

      // Act
      const states = parseJobStates(event);

      // Assert
      expect(states).to.have.length(1);
      expect(states[0]).to.include({
        backend: 'elastic-transcoder',
        state: 'COMPLETED',
        jobId: '1764000000000-abc123',
      });
    });

    it('parses every record, in order', () => {
      // Arrange
      const event = snsEventOf([
        loadNotification('elastic-transcoder-progressing'),
        loadNotification('elastic-transcoder-error'),
        loadNotification('elastic-transcoder-completed'),
      ]);

      // Act
      const states = parseJobStates(event);

      // Assert
      expect(states.map((s) => s.state)).to.deep.equal(['PROGRESSING', 'ERROR', 'COMPLETED']);
    });

    it('splits the records so each can be parsed on its own', () => {
      // Arrange
      const event = snsEventOf(['not json', loadNotification('elastic-transcoder-completed')]);

      // Act
      const messages = jobStateMessages(event);

      // Assert
      expect(messages.map((m) => m.id)).to.deep.equal(['message-0', 'message-1']);
      const [bad, good] = messages;
      if (!bad || !good) throw new Error('expected two messages');
      expect(() => parseJobStateMessage(bad)).to.throw(UnrecognizedJobStateError);
      expect(parseJobStateMessage(good).state).to.equal('COMPLETED');
    });
  });

  describe('a record that is not SNS', () => {
    it('fails only when that record is parsed, so the other records can still be applied', () => {
      // Arrange
      const good = snsEventOf([loadNotification('elastic-transcoder-completed')]);
      const event = { Records: [{ eventSource: 'aws:s3', s3: {} }, ...good.Records] };

      // Act
      const messages = jobStateMessages(event);

      // Assert
      const [bad, ok] = messages;
      if (!bad || !ok) throw new Error('expected two messages');
      expect(() => parseJobStateMessage(bad)).to.throw(
        UnrecognizedJobStateError,
        /Record 0 is not an SNS record/,
      );
      expect(parseJobStateMessage(ok).state).to.equal('COMPLETED');
    });
  });

  describe('MediaConvert events over EventBridge', () => {
    it('routes an aws.mediaconvert event to the MediaConvert parser', () => {
      // Arrange
      const event = {
        version: '0',
        id: 'e1',
        'detail-type': 'MediaConvert Job State Change',
        source: 'aws.mediaconvert',
        detail: { status: 'COMPLETE', jobId: '1', userMetadata: { videoId: 'Vq3x9ZkT2mB7wLp4sR8yNa' } },
      };

      // Act
      const messages = jobStateMessages(event);

      // Assert
      expect(messages).to.deep.equal([{ kind: 'mediaconvert', id: 'e1', event }]);
    });
  });

  describe('bad input', () => {
    it('rejects an event of another source with a clear message', () => {
      expect(() => parseJobStates({ source: 'aws.s3', detail: {} })).to.throw(
        UnrecognizedJobStateError,
        /source "aws.s3".*aws.mediaconvert/,
      );
    });

    it('rejects a record that is not SNS', () => {
      expect(() => parseJobStates({ Records: [{ eventSource: 'aws:s3', s3: {} }] })).to.throw(
        UnrecognizedJobStateError,
        /Record 0 is not an SNS record/,
      );
    });

    it('rejects a non-object', () => {
      expect(() => parseJobStates(undefined)).to.throw(UnrecognizedJobStateError);
    });
  });
});
