import { expect } from 'chai';
import { ratePeriodMs, startEventBridge } from '#local/emulators/eventbridge';

describe('local EventBridge schedules', () => {
  it('reads the period of rate expressions, and none for cron', () => {
    expect(ratePeriodMs('rate(5 minutes)')).to.equal(300_000);
    expect(ratePeriodMs('rate(1 minute)')).to.equal(60_000);
    expect(ratePeriodMs('rate(2 hours)')).to.equal(7_200_000);
    expect(ratePeriodMs('rate(1 day)')).to.equal(86_400_000);
    expect(ratePeriodMs('cron(0/5 * * * ? *)')).to.equal(undefined);
  });

  it('sends each target of a scheduled rule a Scheduled Event at the time asked for', () => {
    // Arrange
    const delivered: { arn: string; event: Record<string, unknown>; origin: string }[] = [];
    const bridge = startEventBridge({
      deliver: (arn, event, origin) =>
        delivered.push({ arn, event: event as Record<string, unknown>, origin }),
      region: 'us-east-1',
      account: '000000000000',
      schedules: [
        {
          name: 'stack-reconcile',
          expression: 'rate(5 minutes)',
          targets: [{ arn: 'arn:aws:lambda:us-east-1:000000000000:function:reconcile' }],
        },
      ],
    });

    // Act
    bridge.runSchedule('stack-reconcile', new Date('2026-11-24T14:00:00.000Z'));

    // Assert
    expect(delivered).to.have.length(1);
    expect(delivered[0]?.origin).to.equal('rule/stack-reconcile');
    expect(delivered[0]?.event).to.deep.include({
      'detail-type': 'Scheduled Event',
      source: 'aws.events',
      time: '2026-11-24T14:00:00Z',
      resources: ['arn:aws:events:us-east-1:000000000000:rule/stack-reconcile'],
      detail: {},
    });
  });

  it('refuses to run a schedule the stack does not declare', () => {
    const bridge = startEventBridge({
      deliver: () => undefined,
      region: 'us-east-1',
      account: '000000000000',
    });

    expect(() => bridge.runSchedule('nope')).to.throw(/No scheduled rule named nope/);
  });
});
