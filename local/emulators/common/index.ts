export type { AttributeContext, ComputedAttributes } from './attributes.ts';
export { LOCAL_CREDENTIALS } from './credentials.ts';
export type { Deliver, Emulator, ServedEmulator } from './emulator.ts';
export {
  type Fault,
  type FaultBudget,
  type FaultOf,
  FaultRegistry,
  type FaultyDelivery,
  type FiredFault,
  faultyDelivery,
  type InjectedFault,
  type S3FaultMatch,
  s3FaultMatches,
  type TranscoderFaults,
  transcoderFaults,
} from './faults.ts';
export { ServiceError } from './service-error.ts';
export { asList } from './terraform.ts';
