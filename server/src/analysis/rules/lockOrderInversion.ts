// LO101 lock-order-inversion: a cycle in the lock-order graph, of any length, or two
// locks of one family (same creation site) nested in code that can run with swapped instances.

import type { Cycle } from '../orderGraph';
import type { OrderEdge, Program } from '../program';
import type { Finding, RelatedSite } from '../types';
import { QuietCycles } from '../quietCycles';
import { isTaskLock } from '../lockKinds';
import type { Rule } from './rule';
import { byNameNote, chainSites, compareLocations, distinctNames, finding, lockName, siteInHolder, via } from './describe';
import { holderSite } from './holderSite';
import { swapOrderFix } from './swapFix';
import { timedSeverity, timeoutNote } from './timeouts';
import { mergeNestedFix, reorderItemsFix } from './withFixes';
import { batchAdvice, familyBatch } from './batchMessages';

const meta: Rule['meta'] = {
  code: 'LO101',
  name: 'lock-order-inversion',
  summary: 'Two or more locks are acquired in orders that form a cycle, so threads can deadlock.',
  defaultSeverity: 'warning',
  docs: {
    whatItDoes: 'Builds a graph of which lock is acquired while which other lock is held, across functions, '
      + 'calls and modules, and reports every cycle in it: `a` taken while holding `b` in one place, and `b` '
      + 'taken while holding `a` in another (or longer rings, like the dining philosophers). Two locks created '
      + 'at the same site (a list of locks, an attribute of one class) nested inside each other count too. '
      + 'It stays quiet where no deadlock is possible: a gate lock held around every witness, in the function '
      + 'or by every caller up the call chain; two locks of one family taken through names bound in sorted '
      + 'order (`first, second = sorted(...)`); an `acquire(timeout=...)` whose result is tested; and cycles '
      + 'whose edges run in different processes (`multiprocessing.Process` targets have their own locks). '
      + 'In TypeScript and JavaScript, a `Promise.all` batch of async-mutex acquisitions is queued in one step: two '
      + 'batches alone cannot deadlock, but a batch may hold one lock while it waits for another, so against a nested '
      + 'acquisition of the same locks it is a cycle. A batch over the keys of a keyed family of mutexes '
      + '(`Promise.all(keys.map((k) => mutexes[k].acquire()))`) counts against a nested acquisition of any two of its '
      + 'keys, literal or computed; the cure is to sort the keys and take them one at a time.',
    whyIsThisBad: 'If two threads run the two code paths at the same time, each can hold one lock and wait '
      + 'forever for the other. The program freezes with no error. Like lockdep, this rule reports the '
      + '*potential* deadlock as soon as both orders exist, even if tests never hit the unlucky timing.',
    example: [
      'x_lock = threading.Lock()',
      'y_lock = threading.Lock()',
      '',
      'def thread_1():',
      '    with x_lock:',
      '        with y_lock:',
      '            ...',
      '',
      'def thread_2():',
      '    with y_lock:',
      '        with x_lock:  # LO101',
      '            ...',
    ].join('\n'),
    useInstead: [
      'from lockorder import acquire',
      '',
      'def thread_2():',
      '    with acquire(x_lock, y_lock):  # one global order, whatever the argument order',
      '        ...',
    ].join('\n'),
    fixSafety: 'Reordering the items of one `with a, b:` is safe. For an inversion between two places, '
      + '"Take `a` before `b`, as `one` does" swaps the two acquisitions at the reported place to the order '
      + 'used at the other (or, when `lockorder.order` orders the two locks, swaps the place that goes against '
      + 'it): a nested `with b:` / `with a:` whose outer body is only the inner `with` (the two headers are '
      + 'swapped, `as` names and comments kept), or two straight-line `b.acquire()` / `a.acquire()` statements '
      + 'next to each other with their two `release()` statements next to each other. It is offered only when '
      + 'no code runs between the two acquisitions or the two releases, so nothing runs under a different lock '
      + 'than before, and it is safe. Merging a nested pair into `with acquire(a, b):` adds '
      + '`from lockorder import acquire`, so its title says it needs the lockorder runtime installed: the '
      + 'program no longer runs with plain `python3` where the runtime is missing. It is safe otherwise when '
      + 'the outer block holds nothing but the inner `with`; if not, the inner lock would be held longer than '
      + 'before, so the fix is marked unsafe and says so. In TypeScript and JavaScript, a literal async-lock key '
      + 'array is reordered, and a nested `runExclusive` whose outer callback holds only the inner one has its two '
      + 'receivers swapped (safe for the same reason). A cycle through a lock that gives up after a time '
      + '(`withTimeout`, an async-lock `timeout`) is reported at warning severity: the timeout turns the hang into an error.',
  },
};

/** Report each cycle once; skip cycles that a common gate lock makes impossible. */
function check(program: Program): Finding[] {
  const out: Finding[] = [];
  const quiet = new QuietCycles(program);
  for (const cycle of program.graph.cycles()) {
    if (cycle.gatedBy || allOrdered(program, cycle) || quiet.isQuiet(cycle)) continue;
    out.push(cycle.edges.length === 1 && cycle.edges[0].from.lock.id === cycle.edges[0].to.lock.id
      ? familyFinding(program, cycle.edges[0])
      : cycleFinding(program, cycle));
  }
  return out;
}

/** A cycle made only of nested `lockorder.acquire()` groups is LO103's, not ours. */
function allOrdered(program: Program, cycle: Cycle): boolean {
  return cycle.edges.every((e) => program.orderedGraph.witnesses(e.from.lock.id, e.to.lock.id).length > 0);
}

/** Asyncio locks deadlock tasks, not threads. */
function actors(cycle: Cycle): string {
  return cycle.edges.every((e) => isTaskLock(e.from.lock.kind)) ? 'tasks' : 'threads';
}

function clause(program: Program, e: OrderEdge, name = lockName): string {
  // A `Promise.all` batch may get either lock first and wait for the other while holding it.
  const holding = e.from.batchOf ? `by a \`Promise.all\` over keys of \`${e.from.batchOf.shortName}\`, which queues every key at once and may already hold ${name(e.from)},`
    : e.from.batch ? `in the same \`Promise.all\` as ${name(e.from)} (either may be taken first)` : `while holding ${name(e.from)}`;
  return `${name(e.to)} acquired${via(e.to)} ${holding} in ${program.where(e.fn)}`
    + byNameNote(e.from, e.to);
}


function cycleFinding(program: Program, cycle: Cycle): Finding {
  const edges = cycle.edges;
  const primary = edges.reduce((a, b) => (compareLocations(siteInHolder(b), siteInHolder(a)) > 0 ? b : a));
  const first = edges.reduce((a, b) => (compareLocations(siteInHolder(b), siteInHolder(a)) < 0 ? b : a));
  const start = edges.indexOf(first);
  const ordered = [...edges.slice(start), ...edges.slice(0, start)];
  const name = distinctNames(edges.flatMap((e) => [e.from, e.to]));
  const clauses = ordered.map((e) => clause(program, e, name));
  const timed = timeoutNote(program, edges);
  const message = (edges.length === 2
    ? `Lock-order inversion: ${clauses[0]}, but ${clauses[1]}. Two ${actors(cycle)} running these can deadlock.`
    : `Lock-order cycle ${[...ordered.map((e) => name(e.from)), name(ordered[0].from)].join(' → ')}: `
      + `${clauses.slice(0, -1).join('; ')}; and ${clauses[clauses.length - 1]}. ${actors(cycle) === 'tasks' ? 'Tasks' : 'Threads'} running these can deadlock.`)
    + batchAdvice(edges) + timed;
  const related: RelatedSite[] = [];
  for (const e of ordered) {
    if (e !== primary) related.push({ location: siteInHolder(e), message: `${clause(program, e)}: acquired here` });
    related.push(holderSite(program, e, related));
    related.push(...chainSites(program, e.to));
  }
  const fixes = [reorderItemsFix(program, primary, edges), swapOrderFix(program, edges, primary), mergeNestedFix(program, primary)]
    .filter((f) => !!f);
  return timedSeverity(finding(meta, {
    message, location: siteInHolder(primary), related, fixes, locks: edges.map((e) => e.from.lock.id),
  }), timed);
}

function familyFinding(program: Program, e: OrderEdge): Finding {
  const keyed = e.from.lock.kind === 'async-lock' || e.from.lock.kind === 'web-locks';
  const who = isTaskLock(e.from.lock.kind) ? 'tasks' : 'threads';
  const instead = keyed ? 'sort the keys (`[a, b].sort()`) so every task takes them in one order.'
    : who === 'tasks' && !e.from.lock.kind.startsWith('asyncio.') ? 'take them in a fixed order (sorted by an id).' : 'take them together with `lockorder.acquire(...)` or in a fixed order.';
  // Keys a nesting cannot tell apart are an inversion only against a batch over the family's keys.
  const batch = familyBatch(program, e, clause(program, e), who);
  const message = batch?.message ?? `Locks of one family are nested: ${clause(program, e)}. `
      + `Two ${who} taking two \`${e.from.lock.shortName}\` locks in opposite orders deadlock; ${instead}`;
  const related: RelatedSite[] = [
    { location: e.from.site, message: `${lockName(e.from)} acquired here` },
    ...(batch ? [batch.site] : []),
    ...chainSites(program, e.to),
  ];
  const fixes = [mergeNestedFix(program, e)].filter((f) => !!f);
  return finding(meta, { message, location: siteInHolder(e), related, fixes, locks: [e.from.lock.id] });
}

/** LO101 lock-order-inversion. */
export const lockOrderInversion: Rule = { meta, check };
