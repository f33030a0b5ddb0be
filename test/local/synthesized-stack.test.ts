// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Terraform tokens such as ${aws_s3_bucket.x.bucket} are literal strings here.
import { expect } from 'chai';
import { LOCAL_ACCOUNT, SynthesizedStack, UnresolvedTokenError } from '#local/synthesized-stack';

const fixture = () =>
  structuredClone({
    provider: { aws: [{ region: 'eu-west-1' }] },
    data: { aws_caller_identity: { current: {} } },
    resource: {
      aws_s3_bucket: { uploads: { bucket: 'demo-uploads' } },
      aws_sns_topic: { done: { name: 'demo-done' } },
      aws_lambda_function: {
        fn: {
          function_name: 'demo-fn',
          environment: [
            {
              variables: {
                BUCKET: '${aws_s3_bucket.uploads.bucket}',
                TOPIC: '${aws_sns_topic.done.arn}',
                OBJECTS: '${aws_s3_bucket.uploads.arn}/*',
                ACCOUNT: '${data.aws_caller_identity.current.account_id}',
              },
            },
          ],
        },
      },
      aws_elastictranscoder_pipeline: { p: { name: 'demo', input_bucket: '${aws_s3_bucket.uploads.id}' } },
    },
  });

describe('unit', () => {
  describe('SynthesizedStack token resolution', () => {
    it('resolves names, ARNs in the stack region, data sources and tokens inside longer strings', () => {
      const stack = new SynthesizedStack(fixture(), '/tmp');

      const fn = stack.resources('aws_lambda_function')[0];
      const env = stack.resolve(fn?.config.environment) as [{ variables: Record<string, string> }];

      expect(env[0].variables).to.deep.equal({
        BUCKET: 'demo-uploads',
        TOPIC: `arn:aws:sns:eu-west-1:${LOCAL_ACCOUNT}:demo-done`,
        OBJECTS: 'arn:aws:s3:::demo-uploads/*',
        ACCOUNT: LOCAL_ACCOUNT,
      });
    });

    it('gives a service-assigned id that is stable between loads', () => {
      const first = new SynthesizedStack(fixture(), '/tmp').attribute(
        'aws_elastictranscoder_pipeline.p',
        'id',
      );
      const second = new SynthesizedStack(fixture(), '/tmp').attribute(
        'aws_elastictranscoder_pipeline.p',
        'id',
      );

      expect(first).to.match(/^\d{13}-[0-9a-f]{6}$/);
      expect(second).to.equal(first);
    });

    it('leaves references to undeclared resources unresolved, and resolveString refuses them', () => {
      const stack = new SynthesizedStack(fixture(), '/tmp');

      expect(stack.resolve('${aws_s3_bucket.missing.bucket}')).to.equal('${aws_s3_bucket.missing.bucket}');
      expect(() => stack.resolveString('${aws_s3_bucket.missing.bucket}', 'x')).to.throw(
        UnresolvedTokenError,
      );
    });

    it('does not change the JSON it was given', () => {
      const json = fixture();
      const before = structuredClone(json);

      new SynthesizedStack(json, '/tmp').resolve(json.resource);

      expect(json).to.deep.equal(before);
    });
  });
});
