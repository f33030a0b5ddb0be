import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TerraformStack, Testing } from 'cdktf';
import { expect } from 'chai';
import { stageConfig } from '../../../infra/config.ts';
import { MissingBundleError, PipelineFunction } from '../../../infra/constructs/pipeline-function.ts';
import { createFixture, type Fixture, type Tf, testApp } from '../helpers.ts';

const config = stageConfig('dev', {});

function synthFunction(fixture: Fixture, name: string, async = true): Tf {
  const stack = new TerraformStack(testApp(), 'fn-test');
  const fn = new PipelineFunction(stack, 'fn', {
    ...fixture.bundles,
    name,
    description: 'test',
    config,
    accountId: '123456789012',
    async,
  });
  fn.addEnvironment('VIDEO_TABLE_NAME', 'videos');
  return JSON.parse(Testing.synth(stack)) as Tf;
}

const onlyFunction = (tf: Tf) =>
  Object.values(tf.resource.aws_lambda_function as Record<string, Tf>)[0] as Tf;

describe('PipelineFunction', () => {
  let fixture: Fixture;
  beforeEach(() => {
    fixture = createFixture();
  });
  afterEach(() => fixture.cleanup());

  describe('bundle', () => {
    it('fails with an error naming npm run build when the bundle is missing', () => {
      rmSync(join(fixture.bundles.bundleRoot, 'transcode-video'), { recursive: true });
      expect(() => synthFunction(fixture, 'transcode-video'))
        .to.throw(MissingBundleError)
        .with.property('message')
        .that.contains('transcode-video')
        .and.contains('npm run build');
    });

    it('keeps source_code_hash stable across synths of the same bundle', () => {
      const first = onlyFunction(synthFunction(fixture, 'transcode-video')).source_code_hash;
      writeFileSync(
        join(fixture.bundles.bundleRoot, 'transcode-video', 'index.mjs'),
        "export const handler = async () => 'transcode-video';\n",
      );
      expect(onlyFunction(synthFunction(fixture, 'transcode-video')).source_code_hash).to.equal(first);
    });

    it('changes source_code_hash when the bundle changes', () => {
      const first = onlyFunction(synthFunction(fixture, 'transcode-video')).source_code_hash;
      writeFileSync(
        join(fixture.bundles.bundleRoot, 'transcode-video', 'index.mjs'),
        'export const handler = 2;\n',
      );
      expect(onlyFunction(synthFunction(fixture, 'transcode-video')).source_code_hash).not.to.equal(first);
    });
  });

  describe('invocation', () => {
    it('gives synchronous functions no dead-letter queue', () => {
      const tf = synthFunction(fixture, 'get-video', false);
      expect(tf.resource).not.to.have.any.keys('aws_sqs_queue', 'aws_lambda_function_event_invoke_config');
    });

    it('refuses to set one variable to two values', () => {
      const stack = new TerraformStack(testApp(), 'fn-test');
      const fn = new PipelineFunction(stack, 'fn', {
        ...fixture.bundles,
        name: 'get-video',
        description: 'test',
        config,
        accountId: '123456789012',
        async: false,
      });
      fn.addEnvironment('VIDEO_TABLE_NAME', 'a');
      expect(() => fn.addEnvironment('VIDEO_TABLE_NAME', 'b')).to.throw(/VIDEO_TABLE_NAME is already set/);
    });
  });
});
