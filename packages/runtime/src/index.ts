export * from './types.js';
export * from './errors.js';
export {
  BUILTIN_TYPES,
  compileSpec,
  messageText,
  payloadTypeName,
  type CompiledSpec,
} from './spec.js';
export { Tracer, mergeTraces, parseRunTrace, runTraceToJson } from './trace.js';
export { SessionEndpoint, type Activity, type EndpointOptions, type Wire } from './endpoint.js';
export { MailboxSession, type MailboxOptions } from './mailbox.js';
export {
  Simulation,
  assertRunOk,
  checkRunOk,
  simulate,
  type RoleCode,
  type RoleOutcome,
  type SimulationOptions,
  type SimulationResult,
} from './sim/simulator.js';
export {
  NO_FAULTS,
  checkPlan,
  randomPlan,
  type Fault,
  type FaultPlan,
  type RandomPlanOptions,
} from './sim/plan.js';
export { Rng } from './sim/random.js';
