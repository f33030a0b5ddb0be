import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { COMMENT_LIMIT, COMMENT_MARKER } from '#tools/plan-review/markdown.ts';
import { type Plan, PlanInputError, parsePlan } from '#tools/plan-review/plan.ts';
import { parseArgs, planComment, stackNameFromPath } from '#tools/plan-review/plan-comment.ts';
import { countPlan, renderPlanComment } from '#tools/plan-review/plan-report.ts';
import { REPO_ROOT } from '#tools/repo-root.ts';

const FIXTURES = join(REPO_ROOT, 'test', 'fixtures', 'plans');
const fixtureText = (name: string) => readFileSync(join(FIXTURES, `${name}.json`), 'utf8');
const fixture = (name: string): Plan => parsePlan(fixtureText(name), `${name}.json`);
const render = (name: string) => renderPlanComment([{ stack: 'dev', plan: fixture(name) }]);
/** The part of the comment before the folded full plan. */
const mainPart = (comment: string) => comment.split('<details>')[0] as string;
/** Markdown table rows (lines starting with `|`) that mention `text`. */
const rowsWith = (comment: string, text: string) =>
  comment.split('\n').filter((line) => line.startsWith('|') && line.includes(text));

describe('plan-comment', () => {
  describe('create only', () => {
    it('counts the creations and lists each resource with its known values first', () => {
      const comment = render('create-only');

      expect(comment.startsWith(COMMENT_MARKER)).to.equal(true);
      expect(comment).to.include('### Stack `dev`: 2 to add, 0 to change, 0 to destroy, 0 to replace');
      const [bucketRow] = rowsWith(comment, '`aws_s3_bucket.upload`');
      expect(bucketRow).to.include('`bucket` = `"24hv-dev-upload"`');
      expect(bucketRow).to.include('`arn` = `(known after apply)`');
      expect((bucketRow as string).indexOf('`bucket` =')).to.be.lessThan(
        (bucketRow as string).indexOf('`arn` ='),
      );
      expect(comment).not.to.include('[!WARNING]');
    });

    it('shows created outputs, unknown ones as known after apply', () => {
      const comment = render('create-only');

      expect(rowsWith(comment, '`table_arn`')[0]).to.include('`(known after apply)`');
      expect(rowsWith(comment, '`upload_bucket`')[0]).to.include('`"24hv-dev-upload"`');
    });
  });

  describe('update in place', () => {
    it('lists only the changed attributes with before and after', () => {
      const comment = render('update-in-place');

      expect(comment).to.include('0 to add, 1 to change, 0 to destroy, 0 to replace');
      const [row] = rowsWith(comment, '`aws_lambda_function.transcode_video`');
      expect(row).to.include('`memory_size`: `128` → `256`');
      expect(row).to.include(
        '`environment[0].variables.TRANSCODER`: `"elastic-transcoder"` → `"mediaconvert"`',
      );
      expect(row).to.include('`tags.Owner`: `null` → `"media"`');
      expect(row).not.to.include('timeout');
      expect(comment).not.to.include('aws_s3_bucket.upload');
    });
  });

  describe('replace', () => {
    it('warns first, destroy then create, with the attribute that forces it and the reason', () => {
      const comment = render('replace-delete-create');

      expect(comment).to.include('0 to add, 0 to change, 0 to destroy, 1 to replace');
      const warning = comment.indexOf('[!WARNING]');
      expect(warning).to.be.greaterThan(-1);
      expect(warning).to.be.lessThan(comment.indexOf('♻️ Replace (1)'));
      const warningLine = comment
        .split('\n')
        .find((line) => line.includes('**replace** `aws_s3_bucket.upload`'));
      expect(warningLine).to.include('destroy, then create');
      expect(warningLine).to.include('an attribute that cannot be updated in place changed');
      expect(warningLine).to.include('forced by `bucket` `"24hv-dev-upload"` → `"24hv-dev-uploads-eu"`');
      expect(rowsWith(comment, '`aws_s3_bucket.upload`')[0]).to.include('**(forces replacement)**');
    });

    it('says create before destroy when the actions are create then delete', () => {
      const comment = render('replace-create-delete');

      const warningLine = comment
        .split('\n')
        .find((line) => line.includes('**replace** `aws_acm_certificate.cdn`'));
      expect(warningLine).to.include('create the replacement, then destroy the old one');
      expect(warningLine).to.include('forced by `domain_name`');
      expect(countPlan(fixture('replace-create-delete'))).to.deep.equal({
        add: 0,
        change: 0,
        destroy: 0,
        replace: 1,
        drift: 0,
      });
    });
  });

  describe('destroy', () => {
    it('warns about the destruction with the reason, and shows the removed output', () => {
      const comment = render('destroy');

      expect(comment).to.include('0 to add, 0 to change, 1 to destroy, 0 to replace');
      expect(comment).to.include(
        '**destroy** `aws_sns_topic.legacy_notifications`: because its resource block was removed from the configuration',
      );
      expect(rowsWith(comment, '`legacy_topic_arn`')[0]).to.include('| delete |');
    });
  });

  describe('no changes', () => {
    it('says so and has no tables of resources or folded plan', () => {
      const comment = render('no-changes');

      expect(comment).to.include('0 to add, 0 to change, 0 to destroy, 0 to replace');
      expect(comment).to.include('No changes.');
      expect(comment).not.to.include('aws_s3_bucket');
      expect(comment).not.to.include('<details>');
    });
  });

  describe('sensitive and unknown values', () => {
    it('never prints a sensitive value, anywhere in the comment', () => {
      const text = fixtureText('sensitive-unknown');
      const secrets = [
        'old-secret-value-1234',
        'new-secret-value-5678',
        'token-before-abc',
        'token-after-xyz',
      ];
      for (const secret of secrets) expect(text).to.include(secret);

      const comment = render('sensitive-unknown');

      for (const secret of secrets) expect(comment).not.to.include(secret);
      expect(rowsWith(comment, '`aws_ssm_parameter.signing_key`')[0]).to.include(
        '`value`: `(sensitive value)` → `(sensitive value)`',
      );
      expect(rowsWith(comment, '`aws_lambda_function.get_video`')[0]).to.include(
        '`environment[0].variables.API_TOKEN`: `(sensitive value)` → `(sensitive value)`',
      );
      expect(rowsWith(comment, '`api_token`')[0]).to.include('`(sensitive value)` | `(sensitive value)`');
    });

    it('shows unknown values as known after apply', () => {
      const comment = render('sensitive-unknown');

      expect(rowsWith(comment, '`aws_ssm_parameter.signing_key`')[0]).to.include(
        '`version`: `3` → `(known after apply)`',
      );
      expect(rowsWith(comment, '`aws_iam_access_key.ci`')[0]).to.include('`secret` = `(known after apply)`');
      expect(rowsWith(comment, '`ci_secret`')[0]).to.include('`(known after apply)`');
    });
  });

  describe('drift', () => {
    it('keeps drift in its own section, apart from the planned changes and the counts', () => {
      const comment = render('drift');

      expect(comment).to.include('0 to add, 1 to change, 0 to destroy, 0 to replace');
      const drift = comment.indexOf('#### Drift: changed outside Terraform (2)');
      expect(drift).to.be.greaterThan(comment.indexOf('✏️ Update in place (1)'));
      const main = mainPart(comment);
      const planned = main.slice(0, drift);
      const drifted = main.slice(drift);
      expect(planned).to.include('`memory_size`: `1024` → `128`');
      expect(planned).not.to.include('aws_sqs_queue.dead_letters');
      expect(drifted).to.include('`memory_size`: `128` → `1024`');
      expect(drifted).to.include('🌀 Deleted outside Terraform (1)');
      expect(drifted).to.include('`aws_sqs_queue.dead_letters`');
    });
  });

  describe('IAM changes', () => {
    it('names the statements that gain or lose actions and resources, and flags new wildcards', () => {
      const comment = render('iam-wildcard');

      const lines = comment
        .split('\n')
        .filter((line) => line.startsWith('- `aws_iam_role_policy.transcode_video`'));
      const write = lines.find((line) => line.includes('statement `WriteRenditions`'));
      expect(write).to.include('⚠️ **new wildcard:** `s3:*`, `*`');
      expect(write).to.include('**+ actions** `s3:*`');
      expect(write).to.include('**− actions** `s3:PutObject`, `s3:PutObjectAcl`');
      expect(write).to.include('**+ resources** `*`');
      const added = lines.find((line) => line.includes('(Allow, added)'));
      expect(added).to.include('`logs:CreateLogStream`, `logs:PutLogEvents`');
      expect(lines.some((line) => line.includes('ReadTable'))).to.equal(false);
    });

    it('ignores a policy that only changed its formatting', () => {
      const comment = render('iam-wildcard');

      expect(comment).not.to.include('assume_role_policy');
      expect(rowsWith(comment, '`aws_iam_role.transcode_video`')[0]).to.include('`tags.Owner`');
    });
  });

  describe('size limit', () => {
    function largePlan(resources: number): Plan {
      const plan = structuredClone(fixture('create-only'));
      plan.resource_changes = Array.from({ length: resources }, (_, i) => ({
        address: `aws_s3_object.rendition_${i}`,
        mode: 'managed' as const,
        type: 'aws_s3_object',
        name: `rendition_${i}`,
        change: {
          actions: ['create' as const],
          before: null,
          after: { bucket: '24hv-dev-transcoded', key: `videos/${i}/1080p.mp4`, content_type: 'video/mp4' },
          after_unknown: { id: true, etag: true, version_id: true },
          before_sensitive: false,
          after_sensitive: {},
        },
      }));
      return plan;
    }

    it('truncates the folded plan and keeps the whole comment under 65,536 characters', () => {
      const plans = [
        { stack: 'dev', plan: largePlan(3000) },
        { stack: 'prod', plan: largePlan(40) },
      ];

      const comment = renderPlanComment(plans);

      expect(comment.length).to.be.lessThan(COMMENT_LIMIT);
      expect(comment.startsWith(COMMENT_MARKER)).to.equal(true);
      expect(comment).to.include('### Stack `dev`: 3000 to add');
      expect(comment).to.include('… truncated:');
      expect(comment).to.include('more not shown here');
      expect(comment).to.include('aws_s3_object.rendition_39');
      expect(comment.match(/<details>/g)).to.have.length(2);
      expect(comment.match(/<\/details>/g)).to.have.length(2);
    });

    it('respects a smaller limit too', () => {
      const comment = renderPlanComment([{ stack: 'dev', plan: largePlan(200) }], { limit: 10_000 });

      expect(comment.length).to.be.lessThan(10_000);
      expect(comment).to.include('</details>');
    });
  });

  describe('moves and imports', () => {
    it('lists a moved or imported object with no other change, without counting it as a change', () => {
      const plan = structuredClone(fixture('no-changes'));
      const [bucket] = plan.resource_changes ?? [];
      if (!bucket) throw new Error('fixture has no resource');
      plan.resource_changes = [
        {
          ...structuredClone(bucket),
          address: 'aws_s3_bucket.uploads',
          previous_address: 'aws_s3_bucket.upload',
        },
        {
          ...structuredClone(bucket),
          address: 'aws_s3_bucket.logs',
          change: { ...bucket.change, importing: { id: 'logs' } },
        },
      ];

      const comment = renderPlanComment([{ stack: 'dev', plan }]);

      expect(comment).to.include('0 to add, 0 to change, 0 to destroy, 0 to replace');
      expect(rowsWith(comment, '`aws_s3_bucket.uploads`')[0]).to.include(
        'moved from aws\\_s3\\_bucket.upload',
      );
      expect(rowsWith(comment, '`aws_s3_bucket.logs`')[0]).to.include('imported (id logs)');
    });
  });

  describe('several stacks', () => {
    it('renders one comment with a summary row and a section per stack', () => {
      const comment = renderPlanComment([
        { stack: 'dev', plan: fixture('create-only') },
        { stack: 'prod', plan: fixture('destroy') },
      ]);

      expect(comment.split(COMMENT_MARKER)).to.have.length(2);
      expect(rowsWith(comment, '| `dev` |')[0]).to.equal('| `dev` | 2 | 0 | 0 | 0 | 0 |');
      expect(rowsWith(comment, '| `prod` |')[0]).to.equal('| `prod` | 0 | 0 | **1** ⚠️ | 0 | 0 |');
      expect(comment).to.include('### Stack `prod`: 0 to add, 0 to change, 1 to destroy');
    });
  });

  describe('input', () => {
    it('names stacks after their directory or file name', () => {
      expect(stackNameFromPath('cdktf.out/stacks/dev/plan.json')).to.equal('dev');
      expect(stackNameFromPath('plans/prod.plan.json')).to.equal('prod');
      expect(stackNameFromPath('local-tfplan.json')).to.equal('local');
      expect(stackNameFromPath('staging.json')).to.equal('staging');
    });

    it('lets --stack name the file that follows it', () => {
      expect(parseArgs(['--stack', 'prod', 'a/plan.json', 'b/dev.json'])).to.deep.equal([
        { stack: 'prod', path: 'a/plan.json' },
        { stack: 'dev', path: 'b/dev.json' },
      ]);
    });

    it('rejects two plans for one stack', () => {
      expect(() => parseArgs(['a/dev/plan.json', 'b/dev/plan.json'])).to.throw(
        PlanInputError,
        /Two plans for stack dev/,
      );
    });

    const invalid: [string, string, RegExp][] = [
      ['text', 'Error: no configuration files', /is not JSON/],
      ['other JSON', '{"hello": "world"}', /no format_version/],
      ['a state file', '{"format_version": "1.0", "values": {"root_module": {}}}', /looks like a state file/],
      ['a binary plan', 'PK\u0003\u0004binary', /binary plan file/],
      ['a future major version', '{"format_version": "2.0", "resource_changes": []}', /only major version 1/],
      [
        'a bad action',
        '{"format_version": "1.2", "resource_changes": [{"address": "a.b", "type": "a", "name": "b", "change": {"actions": ["explode"]}}]}',
        /not a Terraform action/,
      ],
    ];
    for (const [what, text, message] of invalid) {
      it(`rejects ${what} with a clear error`, () => {
        expect(() => planComment(['dev.json'], () => text)).to.throw(PlanInputError, message);
      });
    }
  });
});
