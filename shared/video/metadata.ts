/** Facts ffprobe reported about one file. */
export interface MediaMetadata {
  readonly durationSeconds: number;
  readonly width: number;
  readonly height: number;
  /** Degrees clockwise the player must rotate (0, 90, 180, 270). */
  readonly rotation: number;
  readonly videoCodec: string;
  /** Undefined when the file has no audio track. */
  readonly audioCodec?: string;
  readonly bitRate: number;
  readonly size: number;
  readonly frameRate: number;
}
