// LO103 ordered-acquire-violation: nested `lockorder.acquire()` groups whose orders
// contradict each other; at run time the second one raises LockOrderViolation.

import type { Program } from '../program';
import type { Finding } from '../types';
import type { Rule } from './rule';
import { compareLocations, finding, lockName, siteInHolder } from './describe';

const meta: Rule['meta'] = {
  code: 'LO103',
  name: 'ordered-acquire-violation',
  summary: 'Nested lockorder.acquire() calls take the same locks in contradicting orders.',
  defaultSeverity: 'error',
  docs: {
    whatItDoes: 'Looks at `with lockorder.acquire(...)` blocks nested inside each other and reports when one '
      + 'place nests `a` outside `b` and another nests `b` outside `a` (or any longer cycle). Locks inside one '
      + '`acquire(a, b)` call are sorted by the runtime and never conflict. In TypeScript and JavaScript the same '
      + 'holds for the Node runtime\'s `acquire` (`import { acquire } from \'lockorder/runtime\'`): '
      + '`await acquire([a, b], fn)` holds the locks while `fn` runs, and `const held = await acquire(a, b)` '
      + 'holds them until `held.release()`; there the nesting that runs second rejects with `LockOrderViolation`.',
    whyIsThisBad: '`lockorder.acquire()` ranks every lock and raises `LockOrderViolation` when a nested call '
      + 'would take a lock ranked at or below one already held. With contradicting nestings, whichever runs '
      + 'second raises at run time: the code cannot work in both places.',
    example: [
      'def f():',
      '    with acquire(a):',
      '        with acquire(b):',
      '            ...',
      '',
      'def g():',
      '    with acquire(b):',
      '        with acquire(a):  # LO103',
      '            ...',
    ].join('\n'),
    useInstead: [
      'def g():',
      '    with acquire(a, b):  # one call: the runtime orders the group',
      '        ...',
    ].join('\n'),
    fixSafety: 'No automatic fix; a suppression comment is offered.',
  },
};

function check(program: Program): Finding[] {
  const out: Finding[] = [];
  for (const cycle of program.orderedGraph.cycles()) {
    if (cycle.edges.some((e) => e.from.lock.id === e.to.lock.id)) continue;
    const primary = cycle.edges.reduce((a, b) => (compareLocations(siteInHolder(b), siteInHolder(a)) > 0 ? b : a));
    const clauses = cycle.edges.map((e) => `${lockName(e.from)} then ${lockName(e.to)} in ${program.where(e.fn)}`);
    const message = `Ordered-acquire violation: nested calls of lockorder's ordered \`acquire()\` take ${clauses.join(', but ')}; `
      + 'at run time the nesting that runs second fails with LockOrderViolation.';
    const related = cycle.edges.filter((e) => e !== primary).map((e) => ({
      location: siteInHolder(e), message: `${lockName(e.to)} acquired here while holding ${lockName(e.from)}`,
    }));
    out.push(finding(meta, { message, location: siteInHolder(primary), related, fixes: [], locks: cycle.edges.map((e) => e.from.lock.id) }));
  }
  return out;
}

/** LO103 ordered-acquire-violation. */
export const orderedAcquireViolation: Rule = { meta, check };
