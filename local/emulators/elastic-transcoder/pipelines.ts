/** A pipeline, as `aws_elastictranscoder_pipeline` declares it (tokens resolved). */
export interface PipelineSpec {
  readonly id: string;
  readonly arn: string;
  readonly name: string;
  readonly inputBucket: string;
  readonly outputBucket: string;
  readonly role: string;
  readonly notifications: { progressing?: string; completed?: string; warning?: string; error?: string };
}

/** A pipeline as ReadPipeline answers it (wire shape). */
export const pipelineView = (p: PipelineSpec) => ({
  Id: p.id,
  Arn: p.arn,
  Name: p.name,
  Status: 'Active',
  InputBucket: p.inputBucket,
  OutputBucket: p.outputBucket,
  Role: p.role,
  Notifications: {
    Progressing: p.notifications.progressing ?? '',
    Completed: p.notifications.completed ?? '',
    Warning: p.notifications.warning ?? '',
    Error: p.notifications.error ?? '',
  },
});
