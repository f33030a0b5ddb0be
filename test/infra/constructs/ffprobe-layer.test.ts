import { readFileSync } from 'node:fs';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { TerraformStack, Testing } from 'cdktf';
import { expect } from 'chai';
import { stageConfig } from '#infra/config.ts';
import { FFPROBE_LAYER_PATH, FfprobeLayer, ffprobeFromPackage } from '#infra/constructs/ffprobe-layer.ts';
import { createFixture, type Fixture, readZip, testApp } from '#test/support/infra.ts';

describe('FfprobeLayer', () => {
  let fixture: Fixture;
  before(() => {
    fixture = createFixture();
  });
  after(() => fixture.cleanup());

  describe('zip', () => {
    it('holds bin/ffprobe, executable, so it lands at /opt/bin/ffprobe', () => {
      const stack = new TerraformStack(testApp(), 'layer');
      new AwsProvider(stack, 'aws', { region: 'us-east-1' });
      new FfprobeLayer(stack, 'ffprobe', {
        config: stageConfig('dev', {}),
        assetCacheDir: fixture.bundles.assetCacheDir,
        ffprobe: fixture.ffprobe,
      });
      Testing.synth(stack);
      const zip = readFileSync(`${fixture.bundles.assetCacheDir}/ffprobe-layer-test-stub.zip`);
      expect(readZip(zip)).to.deep.equal([
        { name: 'bin/ffprobe', mode: 0o100755, content: '#!/bin/sh\necho ffprobe stub\n' },
      ]);
      expect(FFPROBE_LAYER_PATH).to.equal('/opt/bin/ffprobe');
    });
  });

  describe('ffprobeFromPackage', () => {
    it('finds the Linux x64 binary and its package version', () => {
      const { binary, version } = ffprobeFromPackage();
      expect(binary).to.match(/@ffprobe-installer\/linux-x64\/ffprobe$/);
      expect(version).to.match(/^\d+\.\d+\.\d+/);
    });
  });
});
