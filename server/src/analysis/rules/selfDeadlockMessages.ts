// The LO102 messages of the special cases (selfDeadlock.ts): a limiter whose task waits for
// another task of its own limiter, a counting semaphore asked for more permits than it has by
// one task, and a loop over a generator that holds the lock at each of its `yield`s.

import type { Program, Reacquire } from '../program';
import type { RelatedSite } from '../types';

/**
 * A limiter re-entered (p-limit, p-queue, async-sema): the task waits for another task of its own
 * limiter while it holds a slot, so once every slot is held that way no task finishes. The
 * message names the limit.
 */
export function limiterMessage(program: Program, r: Reacquire, name: string): string {
  const n = r.held.lock.slots;
  const unit = r.held.lock.kind === 'async-sema' ? 'permit' : 'slot';
  const slots = n !== undefined ? `its ${n} ${unit}${n === 1 ? '' : 's'}` : `its ${unit}s`;
  const how = r.again.chain.length ? `calls \`${r.again.fn.fact.qualname}\`, which waits` : 'waits';
  const holds = unit === 'permit' ? `holds a permit of ${name}` : `runs as a task of ${name}`;
  const other = unit === 'permit' ? `another permit of ${name}` : `another task of ${name}`;
  return `Limiter exhaustion: ${program.where(r.fn)} ${holds} and ${how} for ${other}. `
    + `Once ${slots} are all held by tasks waiting like this, none of them can finish and the work stops.`;
}

/** A counting semaphore taken again by a task that already holds every one of its permits (`waits`: how long it waits). */
export function permitsMessage(program: Program, r: Reacquire, name: string, waits: string): string {
  const n = r.held.lock.slots!;
  const how = r.again.chain.length ? `calls \`${r.again.fn.fact.qualname}\`, which asks` : 'asks';
  return `Self-deadlock: ${program.where(r.fn)} already holds all ${n} permits of ${name} and ${how} for another; `
    + `no other task can give one back, ${waits}`;
}

/** FN3: the lock is held by a generator the loop is iterating, suspended at a `yield`. */
export function iteratedMessage(program: Program, r: Reacquire, name: string, kind: string): string {
  const gen = r.iterated!.generator.fact.qualname;
  const what = r.again.chain.length ? `\`${r.again.fn.fact.qualname}\`, called here, acquires ${name}` : `${name} is acquired here`;
  const over = r.iterated!.generator.fact.generator ? `\`${gen}\`, which holds ${name} at each of its \`yield\`s`
    : `the generator \`${gen}\` returns, which holds ${name} at each of its \`yield\`s`;
  return `Self-deadlock: ${program.where(r.fn)} loops over ${over}, so ${name} is `
    + `held while the loop body runs; ${what} again; ${kind}, so the thread waits for itself forever.`;
}

/** The loop and the generator's hold (unless the body re-enters that same acquisition, as a nested loop over it does). */
export function iteratedSites(r: Reacquire, name: string): RelatedSite[] {
  const gen = r.iterated!.generator.fact.qualname;
  const what = r.iterated!.generator.fact.generator ? `\`${gen}\`` : `the generator \`${gen}\` returns`;
  const sites: RelatedSite[] = [{ location: r.iterated!.loop, message: `${what} iterated here, suspended with ${name} held` }];
  const same = r.again.site.file === r.held.site.file && r.again.site.range.start.line === r.held.site.range.start.line
    && r.again.site.range.start.character === r.held.site.range.start.character;
  if (!same) sites.push({ location: r.held.site, message: `${name} held here, across each \`yield\`${r.iterated!.generator.fact.generator ? ` of \`${gen}\`` : ''}` });
  return sites;
}
