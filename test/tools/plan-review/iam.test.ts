import { expect } from 'chai';
import {
  diffPolicies,
  diffStatements,
  findPolicies,
  statementsOf,
  statementsOfBlocks,
} from '#tools/plan-review/iam.ts';

const doc = (...Statement: unknown[]) => JSON.stringify({ Version: '2012-10-17', Statement });

describe('iam', () => {
  describe('statementsOf', () => {
    it('normalises single values, principals and conditions into sorted sets', () => {
      const [statement] = statementsOf(
        doc({
          Effect: 'Allow',
          Principal: { Service: 'lambda.amazonaws.com', AWS: ['arn:b', 'arn:a'] },
          Action: 'sts:AssumeRole',
          Condition: { StringEquals: { 'aws:SourceAccount': '123' } },
        }),
      );

      expect(statement).to.deep.equal({
        sid: undefined,
        effect: 'Allow',
        actions: ['sts:AssumeRole'],
        notActions: [],
        resources: [],
        notResources: [],
        principals: ['AWS:arn:a', 'AWS:arn:b', 'Service:lambda.amazonaws.com'],
        notPrincipals: [],
        condition: '{"StringEquals":{"aws:SourceAccount":"123"}}',
      });
    });

    it('reads aws_iam_policy_document statement blocks the same way', () => {
      const [fromBlocks] = statementsOfBlocks([
        {
          effect: 'Allow',
          actions: ['s3:GetObject'],
          resources: ['arn:x'],
          principals: [{ type: 'AWS', identifiers: ['*'] }],
        },
      ]);
      const [fromJson] = statementsOf(
        doc({ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:x', Principal: { AWS: '*' } }),
      );

      expect(fromBlocks).to.deep.equal(fromJson);
    });
  });

  describe('findPolicies', () => {
    it('finds JSON policies at any depth, such as inline_policy blocks of a role', () => {
      const role = {
        name: 'r',
        assume_role_policy: doc({ Effect: 'Allow', Action: 'sts:AssumeRole' }),
        inline_policy: [
          { name: 'p', policy: doc({ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }) },
        ],
        description: '{"not": "a policy"}',
      };

      expect([...findPolicies(role).keys()]).to.deep.equal(['assume_role_policy', 'inline_policy[0].policy']);
    });
  });

  describe('diffStatements', () => {
    it('pairs statements by Sid and reports added and removed actions and resources', () => {
      const before = statementsOf(
        doc({ Sid: 'A', Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject'], Resource: 'arn:1' }),
      );
      const after = statementsOf(
        doc({
          Sid: 'A',
          Effect: 'Allow',
          Action: ['s3:GetObject', 's3:DeleteObject'],
          Resource: ['arn:1', 'arn:2'],
        }),
      );

      const [change] = diffStatements('policy', before, after);

      expect(change).to.deep.include({
        label: 'A',
        kind: 'changed',
        added: { actions: ['s3:DeleteObject'], resources: ['arn:2'] },
        removed: { actions: ['s3:PutObject'] },
        newWildcards: [],
      });
    });

    it('pairs statements without Sid by what they share, so an edit is not an add plus a remove', () => {
      const before = statementsOf(
        doc({ Effect: 'Allow', Action: ['logs:PutLogEvents'], Resource: 'arn:log' }),
      );
      const after = statementsOf(
        doc(
          { Effect: 'Allow', Action: ['dynamodb:GetItem'], Resource: 'arn:table' },
          { Effect: 'Allow', Action: ['logs:PutLogEvents', 'logs:CreateLogStream'], Resource: 'arn:log' },
        ),
      );

      const changes = diffStatements('policy', before, after);

      expect(changes.map((c) => [c.kind, c.added.actions])).to.deep.equal([
        ['added', ['dynamodb:GetItem']],
        ['changed', ['logs:CreateLogStream']],
      ]);
    });

    it('flags new wildcards in Allow statements only', () => {
      const allow = diffStatements(
        'policy',
        [],
        statementsOf(doc({ Effect: 'Allow', Action: 's3:*', Resource: '*' })),
      );
      const deny = diffStatements(
        'policy',
        [],
        statementsOf(doc({ Effect: 'Deny', Action: 's3:*', Resource: '*' })),
      );

      expect(allow[0]?.newWildcards).to.deep.equal(['s3:*', '*']);
      expect(deny[0]?.newWildcards).to.deep.equal([]);
    });

    it('does not flag a wildcard that was already there', () => {
      const before = statementsOf(doc({ Sid: 'S', Effect: 'Allow', Action: 's3:*', Resource: 'arn:1' }));
      const after = statementsOf(
        doc({ Sid: 'S', Effect: 'Allow', Action: 's3:*', Resource: ['arn:1', 'arn:2'] }),
      );

      expect(diffStatements('policy', before, after)[0]?.newWildcards).to.deep.equal([]);
    });

    it('reports condition and effect changes', () => {
      const before = statementsOf(
        doc({ Sid: 'S', Effect: 'Allow', Action: 'kms:Decrypt', Condition: { Bool: { x: 'true' } } }),
      );
      const after = statementsOf(doc({ Sid: 'S', Effect: 'Deny', Action: 'kms:Decrypt' }));

      expect(diffStatements('policy', before, after)[0]).to.deep.include({
        conditionChanged: true,
        effectChanged: true,
      });
    });
  });

  describe('diffPolicies', () => {
    it('skips attributes the caller cannot compare, such as a policy known only after apply', () => {
      const before = { policy: doc({ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:1' }) };

      const changes = diffPolicies(before, {}, 'aws_iam_policy', (steps) => steps[0] === 'policy');

      expect(changes).to.deep.equal([]);
    });
  });
});
