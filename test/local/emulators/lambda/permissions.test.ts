import { expect } from 'chai';
import { type LocalCloud, startLocalCloud } from '#local/cloud';
import { invokeRefusal, readInvokePermissions } from '#local/emulators/lambda';
import { prepareLocalStack } from '#local/prepare';
import { LOCAL_ACCOUNT, SynthesizedStack } from '#local/synthesized-stack';

/** A Terraform reference token, as cdktf writes it. */
const tf = (expression: string) => `\${${expression}}`;
const CONTEXT = { region: 'us-east-1', account: LOCAL_ACCOUNT };
const FN = `arn:aws:lambda:us-east-1:${LOCAL_ACCOUNT}:function:demo-fn`;
const TOPIC = `arn:aws:sns:us-east-1:${LOCAL_ACCOUNT}:demo-topic`;

function stackWith(permissions: Record<string, Record<string, unknown>>): SynthesizedStack {
  return new SynthesizedStack(
    {
      resource: {
        aws_lambda_function: { fn: { function_name: 'demo-fn' } },
        aws_sns_topic: { topic: { name: 'demo-topic' } },
        aws_s3_bucket: { uploads: { bucket: 'demo-uploads' } },
        aws_cloudwatch_event_rule: { rule: { name: 'demo-rule' } },
        aws_lambda_permission: permissions,
      },
    },
    '/tmp',
  );
}

const permission = (principal: string, sourceArn: string) => ({
  action: 'lambda:InvokeFunction',
  function_name: tf('aws_lambda_function.fn.function_name'),
  principal,
  source_arn: sourceArn,
});

describe('local Lambda invoke permissions', () => {
  describe('invokeRefusal', () => {
    it('allows S3, SNS and EventBridge sources the stack grants, resolved from its tokens', () => {
      const permissions = readInvokePermissions(
        stackWith({
          s3: permission('s3.amazonaws.com', tf('aws_s3_bucket.uploads.arn')),
          sns: permission('sns.amazonaws.com', tf('aws_sns_topic.topic.arn')),
          events: permission('events.amazonaws.com', tf('aws_cloudwatch_event_rule.rule.arn')),
        }),
      );

      expect(invokeRefusal(permissions, FN, 's3:demo-uploads', CONTEXT)).to.equal(undefined);
      expect(invokeRefusal(permissions, FN, TOPIC, CONTEXT)).to.equal(undefined);
      expect(invokeRefusal(permissions, FN, 'rule/demo-rule', CONTEXT)).to.equal(undefined);
    });

    it('refuses a source without a permission, naming the service, function and source', () => {
      const permissions = readInvokePermissions(
        stackWith({ s3: permission('s3.amazonaws.com', tf('aws_s3_bucket.uploads.arn')) }),
      );

      const refusal = invokeRefusal(permissions, FN, TOPIC, CONTEXT);

      expect(refusal).to.contain(`lets sns.amazonaws.com invoke demo-fn from ${TOPIC}`);
    });

    it('refuses a permission scoped to another source of the same service', () => {
      const permissions = readInvokePermissions(
        stackWith({ s3: permission('s3.amazonaws.com', 'arn:aws:s3:::other-bucket') }),
      );

      expect(invokeRefusal(permissions, FN, 's3:demo-uploads', CONTEXT)).to.be.a('string');
    });

    it('does not judge deliveries that come from no service (tests, direct calls)', () => {
      expect(invokeRefusal([], FN, 'direct', CONTEXT)).to.equal(undefined);
    });
  });

  describe('e2e: the local cloud', () => {
    let cloud: LocalCloud | undefined;
    after(async () => {
      await cloud?.stop();
    });

    it('does not invoke a subscriber whose aws_lambda_permission was removed from the JSON, and warns', async () => {
      const original = SynthesizedStack.fromFile(await prepareLocalStack('mediaconvert'));
      const json = structuredClone(original.json) as {
        resource: Record<string, Record<string, { principal?: string; function_name?: string }>>;
      };
      const permissions = json.resource.aws_lambda_permission ?? {};
      const removed = Object.keys(permissions).filter(
        (name) =>
          permissions[name]?.principal === 'sns.amazonaws.com' &&
          String(permissions[name]?.function_name).includes('update-video-list'),
      );
      for (const name of removed) delete permissions[name];
      cloud = await startLocalCloud({ stack: new SynthesizedStack(json, original.directory) });
      const warnings: string[] = [];
      const invoked: string[] = [];
      cloud.events.on('warning', (error: Error) => warnings.push(error.message));
      cloud.events.on('progress', (event: { kind: string; functionName?: string }) => {
        if (event.kind === 'invocation' && event.functionName) invoked.push(event.functionName);
      });
      const topic = `arn:aws:sns:${cloud.region}:${LOCAL_ACCOUNT}:24hv-local-transcoded`;
      const fn = `arn:aws:lambda:${cloud.region}:${LOCAL_ACCOUNT}:function:24hv-local-update-video-list`;

      cloud.deliver(fn, { Records: [] }, topic);
      await cloud.whenIdle();

      expect(removed).to.have.length(1);
      expect(invoked).to.deep.equal([]);
      expect(warnings).to.have.length(1);
      expect(warnings[0]).to.contain('no aws_lambda_permission in the stack lets sns.amazonaws.com invoke');
    });
  });
});
