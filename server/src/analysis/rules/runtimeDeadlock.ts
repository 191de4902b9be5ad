// LO110 deadlock: a real deadlock seen at run time by the runtime's watchdog. The static
// engine never emits it; this file carries its documentation, so `docs/rules/LO110.md` and
// the diagnostics' documentation links have a page like every other code.

import type { RuleMeta } from '../types';

/** LO110 deadlock (run time only): its metadata and documentation. */
export const runtimeDeadlock: RuleMeta = {
  code: 'LO110',
  name: 'deadlock',
  summary: 'Threads observed at run time waiting for each other in a cycle: a real deadlock.',
  defaultSeverity: 'error',
  docs: {
    whatItDoes: 'Reported by the runtime (`python3 -m lockorder run`), not by the static analysis. A watchdog '
      + 'thread looks at the threads blocked in an acquire for longer than `--watchdog` seconds (default 10). '
      + 'When their waits close a cycle (thread 1 waits for a lock thread 2 holds, which waits for a lock '
      + 'thread 1 holds), it records LO110 with every thread of the cycle, the lock each waits for, the locks '
      + 'each holds and its full stack, and prints the stacks on stderr. The editor shows the record at the '
      + 'blocked acquisitions.',
    whyIsThisBad: 'This is not a potential deadlock but one that happened: the threads will never run again, '
      + 'and the program hangs (or, with daemon threads, silently stops doing that work).',
    example: [
      'def transfer_a_to_b():',
      '    with a_lock:',
      '        with b_lock:   # thread 1 waits here, holding a_lock',
      '            ...',
      '',
      'def transfer_b_to_a():',
      '    with b_lock:',
      '        with a_lock:   # thread 2 waits here, holding b_lock: LO110',
      '            ...',
    ].join('\n'),
    useInstead: [
      'from lockorder import acquire',
      '',
      'def transfer_b_to_a():',
      '    with acquire(a_lock, b_lock):   # one global order, whatever the argument order',
      '        ...',
    ].join('\n'),
    fixSafety: 'No automatic fix: the cycle is usually also found statically as LO101, whose fixes apply. '
      + 'With `--raise`, the runtime raises `DeadlockError` in each blocked thread of the cycle instead of '
      + 'letting the program hang.',
  },
};
