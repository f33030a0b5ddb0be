import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import type { Construct } from 'constructs';
import { OUTPUT_ROOT } from '#shared/video';
import { KMS_ENCRYPT } from '../encryption.ts';
import { assumeRolePolicy, PolicyDocument, type Statement } from '../policy.ts';
import type { TranscoderProps } from './types.ts';

/** How a backend names the role its jobs run as, and what it needs beyond the buckets. */
export interface TranscoderJobRoleProps {
  /** Role name. */
  readonly name: string;
  /** The service that assumes it, e.g. `mediaconvert.amazonaws.com`. */
  readonly service: string;
  /** Name of the inline policy. */
  readonly policyName: string;
  /** Sid of the statement that lets jobs write the renditions. */
  readonly writeSid: string;
  /** The backend's own statements, after the bucket ones. */
  readonly statements?: readonly Statement[];
}

/**
 * The service role transcoding jobs run as (construct ids `role` and `policy` under `scope`): read the
 * uploads, write under `videos/` of the transcoded bucket, and use the bucket key through S3 only.
 */
export function createTranscoderJobRole(
  scope: Construct,
  { storage, key }: TranscoderProps,
  props: TranscoderJobRoleProps,
): IamRole {
  const role = new IamRole(scope, 'role', {
    name: props.name,
    assumeRolePolicy: assumeRolePolicy(props.service),
  });
  const policy = new PolicyDocument([
    {
      Sid: 'ReadUploads',
      Effect: 'Allow',
      Action: ['s3:GetObject'],
      Resource: [storage.uploads.objectsArn()],
    },
    {
      Sid: props.writeSid,
      Effect: 'Allow',
      Action: ['s3:PutObject', 's3:AbortMultipartUpload'],
      Resource: [storage.transcoded.objectsArn(OUTPUT_ROOT)],
    },
    // Reads the upload, and writes outputs in parts: S3 decrypts the parts to assemble them.
    key.viaService('s3', KMS_ENCRYPT, 'UseBucketKey'),
    ...(props.statements ?? []),
  ]);
  new IamRolePolicy(scope, 'policy', { name: props.policyName, role: role.id, policy: policy.toJson() });
  return role;
}
