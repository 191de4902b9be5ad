// `lockorder/runtime`: what a program may import from the Node runtime. The ordered acquire and
// the errors the runtime rejects with. Importing it does not start recording; the runtime
// records when preloaded (`lockorder run`, or NODE_OPTIONS=--import=lockorder/register).

export { acquire } from './ordered.mjs';
export { DeadlockError, LockOrderViolation } from './errors.mjs';
