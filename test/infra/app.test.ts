import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { buildApp } from '#infra/app.ts';
import { createFixture, type Fixture, STUB_WEB_KEYS } from '#test/support/infra.ts';

describe('infra app', () => {
  describe('synth', () => {
    let fixture: Fixture;
    let outdir: string;
    before(() => {
      fixture = createFixture();
      outdir = join(fixture.dir, 'cdktf.out');
      buildApp({
        outdir,
        env: {},
        bundles: fixture.bundles,
        ffprobe: fixture.ffprobe,
        webBuild: fixture.webBuild,
      }).app.synth();
    });
    after(() => fixture.cleanup());

    it('writes cdk.tf.json for dev, prod and local', () => {
      for (const stage of ['dev', 'prod', 'local']) {
        const file = join(outdir, 'stacks', stage, 'cdk.tf.json');
        expect(existsSync(file), file).to.equal(true);
        const tf = JSON.parse(readFileSync(file, 'utf8'));
        expect(tf.provider.aws[0].default_tags[0].tags.environment).to.equal(stage);
      }
    });

    it('copies every function zip and the layer zip next to the stack that references them', () => {
      const tf = JSON.parse(readFileSync(join(outdir, 'stacks', 'dev', 'cdk.tf.json'), 'utf8'));
      const files = [
        ...Object.values(tf.resource.aws_lambda_function as Record<string, { filename: string }>),
        ...Object.values(tf.resource.aws_lambda_layer_version as Record<string, { filename: string }>),
      ].map((r) => r.filename);
      expect(files.length).to.be.greaterThan(5);
      for (const file of files) expect(existsSync(join(outdir, 'stacks', 'dev', file)), file).to.equal(true);
    });

    it("copies the web build beside the stacks that host it, where each object's relative source points", () => {
      for (const stage of ['dev', 'prod']) {
        const tf = JSON.parse(readFileSync(join(outdir, 'stacks', stage, 'cdk.tf.json'), 'utf8'));
        const objects = Object.values(
          tf.resource.aws_s3_object as Record<string, { key: string; source?: string }>,
        );
        const sources = objects.flatMap((o) => (o.source ? [o.source] : []));
        expect(sources, stage).to.have.length(STUB_WEB_KEYS.length);
        for (const source of sources)
          expect(existsSync(join(outdir, 'stacks', stage, source)), source).to.equal(true);
      }
      const local = JSON.parse(readFileSync(join(outdir, 'stacks', 'local', 'cdk.tf.json'), 'utf8'));
      expect(local.resource).not.to.have.property('aws_s3_object');
    });
  });
});
