// The contract between the engine and its rules: a rule reads the linked program
// (lock events and the lock-order graph) and returns findings. Rules never walk trees.

import type { Finding, RuleMeta } from '../types';
import type { Program } from '../program';

/** One rule: its metadata and docs, and its check over the linked program. */
export interface Rule {
  meta: RuleMeta;
  check(program: Program): Finding[];
}
