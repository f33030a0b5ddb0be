/**
 * An error a local service emulator answers with: its HTTP status and the AWS error type the SDK
 * reads from `x-amzn-errortype` (restJson services), e.g. `ResourceInUseException`.
 */
export class ServiceError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
  ) {
    super(message);
    this.name = type;
  }
}
