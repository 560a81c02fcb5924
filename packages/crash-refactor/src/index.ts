export type * from './types.js';
export { planRefactoring, sourceHash } from './plan.js';
export { applyPlan } from './apply.js';
export { applyEdits } from './options.js';
