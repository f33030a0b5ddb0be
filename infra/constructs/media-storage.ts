import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketCorsConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-cors-configuration';
import { S3BucketLifecycleConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import { Construct } from 'constructs';
import { ENV, type EnvName } from '#shared/config';
import { metadataKey, OUTPUT_ROOT, posterBaseKey, RENDITION_SUFFIX, uploadPrefix } from '#shared/video';
import { type StageConfig, type WebOrigins, webOrigins } from '../config.ts';
import type { PipelineKey } from './encryption.ts';
import { PolicyDocument, type Statement } from './policy.ts';

/** Props of {@link SecureBucket}. */
export interface SecureBucketProps {
  /** Full physical bucket name. */
  readonly bucketName: string;
  /** The environment variable a function gets when it is granted this bucket; none: no function may be. */
  readonly envName?: EnvName;
  readonly key: PipelineKey;
  readonly region: string;
  readonly forceDestroy: boolean;
}

/**
 * A bucket that is private and encrypted by construction: Block Public Access (all four), ACLs off,
 * SSE-KMS with a bucket key, versioning, aborted multipart uploads cleaned up, and a TLS-only policy
 * that other constructs extend with {@link SecureBucket.addToResourcePolicy}.
 */
export class SecureBucket extends Construct {
  readonly bucket: S3Bucket;
  readonly name: string;
  readonly arn: string;
  readonly key: PipelineKey;
  readonly region: string;
  readonly policy: S3BucketPolicy;
  readonly publicAccessBlock: S3BucketPublicAccessBlock;
  /** Default SSE-KMS: whatever Terraform itself writes into the bucket must wait for it. */
  readonly encryption: S3BucketServerSideEncryptionConfigurationA;
  private readonly policyDocument: PolicyDocument;
  private readonly grantEnvName: EnvName | undefined;

  constructor(scope: Construct, id: string, props: SecureBucketProps) {
    super(scope, id);
    this.grantEnvName = props.envName;
    this.key = props.key;
    this.region = props.region;
    this.bucket = new S3Bucket(this, 'bucket', {
      bucket: props.bucketName,
      forceDestroy: props.forceDestroy,
    });
    this.name = this.bucket.bucket;
    this.arn = this.bucket.arn;

    this.publicAccessBlock = new S3BucketPublicAccessBlock(this, 'public-access-block', {
      bucket: this.bucket.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    new S3BucketOwnershipControls(this, 'ownership', {
      bucket: this.bucket.id,
      rule: { objectOwnership: 'BucketOwnerEnforced' },
    });
    this.encryption = new S3BucketServerSideEncryptionConfigurationA(this, 'encryption', {
      bucket: this.bucket.id,
      rule: [
        {
          applyServerSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: props.key.arn },
          // One data key per bucket instead of one KMS call per object.
          bucketKeyEnabled: true,
        },
      ],
    });
    new S3BucketVersioningA(this, 'versioning', {
      bucket: this.bucket.id,
      versioningConfiguration: { status: 'Enabled' },
    });
    new S3BucketLifecycleConfiguration(this, 'lifecycle', {
      bucket: this.bucket.id,
      rule: [
        {
          id: 'abort-incomplete-multipart-uploads',
          status: 'Enabled',
          filter: [{ prefix: '' }],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: 7 }],
        },
        {
          id: 'expire-noncurrent-versions',
          status: 'Enabled',
          filter: [{ prefix: '' }],
          noncurrentVersionExpiration: [{ noncurrentDays: 30 }],
        },
      ],
    });
    this.policyDocument = new PolicyDocument([
      {
        Sid: 'DenyInsecureTransport',
        Effect: 'Deny',
        Principal: '*',
        Action: ['s3:*'],
        Resource: [this.arn, `${this.arn}/*`],
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      },
    ]);
    // Applied after Block Public Access, or S3 may evaluate the policy against the old settings.
    this.policy = new S3BucketPolicy(this, 'policy', {
      bucket: this.bucket.id,
      policy: this.policyDocument.toJson(),
      dependsOn: [this.publicAccessBlock],
    });
  }

  /** The environment variable a granted function gets; throws for a bucket no function may be granted. */
  get envName(): EnvName {
    if (!this.grantEnvName) {
      throw new Error(
        `${this.node.path}: this bucket has no environment variable, so no function may be granted it.`,
      );
    }
    return this.grantEnvName;
  }

  /** Lets browsers on `origins` POST objects (presigned POST uploads). */
  allowBrowserPosts(origins: readonly string[]): void {
    new S3BucketCorsConfiguration(this, 'cors', {
      bucket: this.bucket.id,
      corsRule: [
        {
          allowedMethods: ['POST'],
          allowedOrigins: [...origins],
          allowedHeaders: ['*'],
          exposeHeaders: ['ETag', 'Location'],
          maxAgeSeconds: 3000,
        },
      ],
    });
  }

  /** Adds a statement to the bucket's single policy. */
  addToResourcePolicy(statement: Statement): void {
    this.policyDocument.add(statement);
  }

  /** The bucket's virtual-hosted S3 origin: where the SDK's presigned GETs and POSTs point. */
  get s3Origin(): string {
    return `https://${this.name}.s3.${this.region}.amazonaws.com`;
  }

  /** ARN pattern of the objects under `prefix` ('' for every object). */
  objectsArn(prefix = ''): string {
    return this.objectArn(`${prefix}*`);
  }

  /** ARN of the objects whose keys match `pattern` (IAM's `*` and `?`, which match `/` too). */
  objectArn(pattern: string): string {
    return `${this.arn}/${pattern}`;
  }
}

/**
 * The key patterns grants name, built from the layout in `#shared/video` so a grant follows the
 * layout it describes.
 */
export const KEYS = {
  /** Uploads the API issues: `uploads/<owner>/<videoId>/<file>`. */
  apiUploads: `${uploadPrefix('*', '*')}*`,
  /** Anything in a bucket: uploads that did not come through the API land anywhere in the upload bucket. */
  any: '*',
  /** The MP4 renditions: `videos/<videoId>/<rendition>.mp4`. */
  renditions: `${OUTPUT_ROOT}*${RENDITION_SUFFIX}`,
  /** The poster frame: `videos/<videoId>/poster.0000000.jpg`. */
  poster: `${posterBaseKey('*')}.*`,
  /** The probed metadata: `videos/<videoId>/metadata.json`. */
  metadata: metadataKey('*'),
} as const;

/** Props of {@link MediaStorage}. */
export interface MediaStorageProps {
  readonly config: StageConfig;
  readonly key: PipelineKey;
}

/** The upload bucket (browser POST uploads land here) and the transcoded bucket (renditions, metadata, poster). */
export class MediaStorage extends Construct {
  readonly uploads: SecureBucket;
  readonly transcoded: SecureBucket;

  constructor(scope: Construct, id: string, props: MediaStorageProps) {
    super(scope, id);
    const { config, key } = props;
    const forceDestroy = !config.deletionProtection;
    this.uploads = new SecureBucket(this, 'uploads', {
      bucketName: `${config.namePrefix}-uploads`,
      envName: ENV.UPLOAD_BUCKET,
      key,
      region: config.region,
      forceDestroy,
    });
    this.transcoded = new SecureBucket(this, 'transcoded', {
      bucketName: `${config.namePrefix}-transcoded`,
      envName: ENV.TRANSCODED_BUCKET,
      key,
      region: config.region,
      forceDestroy,
    });
  }

  /** Lets the web app, wherever it runs, POST uploads from the browser. */
  allowUploadsFrom(origins: WebOrigins): void {
    this.uploads.allowBrowserPosts(webOrigins(origins));
  }
}
