// Checks the rule codes given to --select and --ignore against the rule registry.
// A rule may be named by its code (`LO101`) or its name (`lock-order-inversion`).

import { ruleRegistry } from '../analysis/index';
import type { RuleCode } from '../analysis/index';
import { UsageError } from './args';

/** Turn codes or rule names into registered rule codes; throws UsageError for an unknown one. */
export function resolveCodes(option: string, items: string[]): RuleCode[] {
  return items.map((item) => {
    const rule = ruleRegistry.find((r) => r.code === item.toUpperCase() || r.name === item);
    if (!rule) {
      const known = ruleRegistry.map((r) => r.code).join(', ');
      throw new UsageError(`unknown rule code in ${option}: ${item} (known codes: ${known})`);
    }
    return rule.code;
  });
}
