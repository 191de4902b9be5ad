// Shared wording and small helpers for rule messages, related sites and fixes.

import type { Holding, OrderEdge, Program, Taken } from '../program';
import type { PreparedFix } from '../events';
import type { Finding, Fix, Location, Range, RelatedSite, RuleMeta, TextEdit } from '../types';

/** How a message names a held or taken lock: `x_lock`, `Counter._lock`, `chopsticks[i]`. */
export function lockName(l: Holding | Taken): string {
  const m = /\[([^\]]*)\]$/.exec(l.inst);
  // A member that cannot be told apart from the others is marked by a trailing `?` (`lock[id?]`), not shown.
  const index = m && m[1].length > 1 ? m[1].replace(/\?$/, '') : m?.[1];
  if (m && l.lock.shortName.endsWith('[]')) return `\`${l.lock.shortName.slice(0, -2)}[${index}]\``;
  const attr = l.lock.shortName.split('.').pop();
  const named = l.lock.family && /^[A-Za-z_][\w.]*$/.test(l.inst) && l.inst !== 'self' && l.inst !== 'g' && l.inst !== 'l';
  return `\`${named ? `${l.inst}.${attr}` : l.lock.shortName}\``;
}

/**
 * Names for the locks of one finding: `lockName`, except that locks whose short names collide
 * (`lock` in two modules) are named in full (`app.db.lock`), so a message tells them apart.
 */
export function distinctNames(ls: (Holding | Taken)[]): (l: Holding | Taken) => string {
  const ids = new Map<string, Set<string>>();
  for (const l of ls) {
    const name = lockName(l);
    ids.set(name, (ids.get(name) ?? new Set()).add(l.lock.id));
  }
  return (l) => ((ids.get(lockName(l))?.size ?? 1) > 1 ? `\`${l.lock.name}\`` : lockName(l));
}

/** " (resolved by name only)" when a step of the edge was found by attribute or method name alone. */
export function byNameNote(...ls: (Holding | Taken)[]): string {
  return ls.some((l) => l.byName) ? ' (resolved by name only: one analyzed class defines it)' : '';
}

/** Where, in the function holding `from`, the edge's acquisition happens (the call site if via calls). */
export function siteInHolder(e: OrderEdge): Location {
  return e.to.chain[0] ?? e.to.boundAt ?? e.to.site;
}

/** "(via `helper`)" when a lock is taken through calls; the binding call for parameters. */
export function via(t: Taken): string {
  const through = t.forkHook ? ` (by the at-fork hook \`${t.forkHook}\` that \`os.fork()\` runs)`
    : t.chain.length ? ` (via \`${t.fn.fact.qualname}\`)` : '';
  const bound = t.boundAt ? ` (arguments bound on line ${t.boundAt.range.start.line + 1})` : '';
  return through + bound;
}

/** Related sites for a call chain: each call, then the acquisition in the callee. */
export function chainSites(program: Program, t: Taken): RelatedSite[] {
  if (!t.chain.length) return [];
  const out: RelatedSite[] = callSteps(program, t).slice(1);
  out.push({ location: t.site, message: `${lockName(t)} acquired here, in ${program.where(t.fn)}` });
  return out;
}

/**
 * One related site per call of a chain, saying what it calls: "`helper` called here, on the way
 * to `x_lock`". The callee of a step is the function holding the next step (the last: `t.fn`).
 */
export function callSteps(program: Program, t: Taken, lock = lockName(t)): RelatedSite[] {
  return t.chain.map((location, i) => {
    const next = t.chain[i + 1];
    const callee = next ? program.symbols.enclosingFunction(next.file, next.range.start.line) : t.fn;
    const name = callee && callee.fact.id !== '<module>' ? `\`${callee.fact.qualname}\`` : 'a function';
    return { location, message: `${name} called here, on the way to ${lock}` };
  });
}

/** Compare two locations in file order. */
export function compareLocations(a: Location, b: Location): number {
  return a.file.localeCompare(b.file) || a.range.start.line - b.range.start.line
    || a.range.start.character - b.range.start.character;
}

/** A finding with the rule's code, name and default severity filled in. */
export function finding(meta: RuleMeta, rest: Omit<Finding, 'code' | 'rule' | 'severity'>): Finding {
  return { code: meta.code, rule: meta.name, severity: meta.defaultSeverity, ...rest };
}

/** The source text of a range. */
export function textAt(text: string, range: Range): string {
  const lines = text.split('\n');
  if (range.start.line === range.end.line) return (lines[range.start.line] ?? '').slice(range.start.character, range.end.character);
  const parts = [(lines[range.start.line] ?? '').slice(range.start.character)];
  for (let l = range.start.line + 1; l < range.end.line; l++) parts.push(lines[l] ?? '');
  parts.push((lines[range.end.line] ?? '').slice(0, range.end.character));
  return parts.join('\n');
}

/** An edit inserting a whole line before 0-based line `line`. */
export function insertLine(file: string, line: number, text: string): TextEdit {
  const at = { line, character: 0 };
  return { file, range: { start: at, end: at }, newText: `${text}\n` };
}

/** Edits that change the indentation of lines `from..to` (inclusive) by `delta` spaces. */
export function reindent(file: string, text: string, from: number, to: number, delta: number): TextEdit[] {
  const lines = text.split('\n');
  const edits: TextEdit[] = [];
  for (let l = from; l <= to; l++) {
    const line = lines[l] ?? '';
    if (!line.trim()) continue;
    const at = { line: l, character: 0 };
    if (delta > 0) edits.push({ file, range: { start: at, end: at }, newText: ' '.repeat(delta) });
    else {
      const lead = line.length - line.trimStart().length;
      edits.push({ file, range: { start: at, end: { line: l, character: Math.min(lead, -delta) } }, newText: '' });
    }
  }
  return edits;
}

/** A fix a front end wrote for a fact of `file`, as the rule offers it. */
export function preparedFix(file: string, fix: PreparedFix): Fix {
  return { title: fix.title, safe: fix.safe, edits: fix.edits.map((e) => ({ file, ...e })) };
}
