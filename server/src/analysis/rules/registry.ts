// The rule registry: every rule the engine runs, in code order. A new rule touches its
// own file, this list, and its fixtures.

import type { RuleCode, RuleMeta } from '../types';
import type { Rule } from './rule';
import { lockOrderInversion } from './lockOrderInversion';
import { selfDeadlock } from './selfDeadlock';
import { orderedAcquireViolation } from './orderedAcquireViolation';
import { unreleasedLock } from './unreleasedLock';
import { blockingWaitUnderLock } from './blockingWaitUnderLock';
import { declaredOrderViolation } from './declaredOrderViolation';
import { callbackReentry } from './callbackReentry';
import { runtimeDeadlock } from './runtimeDeadlock';
import { repositoryUrl } from '../projectUrls';

/** Every static rule, in code order. */
export const rules: Rule[] = [
  lockOrderInversion,
  selfDeadlock,
  orderedAcquireViolation,
  unreleasedLock,
  blockingWaitUnderLock,
  declaredOrderViolation,
  callbackReentry,
];

/** The metadata of every static rule, in code order. */
export const ruleRegistry: RuleMeta[] = rules.map((r) => r.meta);

/** Codes only the runtime reports (LO110): documented like the rules, never run statically. */
export const runtimeRuleRegistry: RuleMeta[] = [runtimeDeadlock];

/** Look a rule up by its code. */
export function ruleByCode(code: string): RuleMeta | undefined {
  return ruleRegistry.find((r) => r.code === code);
}

export { repositoryUrl };

/** Where a rule's documentation lives; used for `codeDescription.href` and SARIF `helpUri`. */
export function ruleDocsUrl(code: RuleCode | string): string {
  return `${repositoryUrl}/blob/main/docs/rules/${code}.md`;
}
