export {
  globalToSequence,
  DO_BOX_COLOR,
  HIGHLIGHT_COLOR,
  type SequenceOptions,
} from './sequence.js';
export { efsmToState, CRASH_CLASS, type StateOptions } from './state.js';
export { refactoringDiff, ADDED_COLOR, REMOVED_COLOR, type RefactoringDiff } from './diff.js';
export {
  runTraceToSequence,
  runTraceArrows,
  type RunTrace,
  type RunEvent,
  type RunEventBase,
  type RunSend,
  type RunReceive,
  type RunCrash,
  type RunLost,
  type RunTimeout,
} from './trace.js';
export { counterexampleToSequence, type CounterexampleOptions } from './counterexample.js';
export {
  text as escapeText,
  aliasText as escapeAlias,
  stateText as escapeStateText,
  identifier,
  participantIds,
} from './escape.js';
