// LO106 declared-order-violation: an acquisition that goes against the order written in
// `lockorder.order`, reported where it happens, the first time a single path breaks it.

import { basename } from 'node:path';
import type { OrderEdge, Program } from '../program';
import type { Finding, Fix } from '../types';
import type { Rule } from './rule';
import { finding, lockName, siteInHolder } from './describe';

const meta: Rule['meta'] = {
  code: 'LO106',
  name: 'declared-order-violation',
  summary: 'A lock is acquired against the order declared in lockorder.order.',
  defaultSeverity: 'error',
  docs: {
    whatItDoes: 'Reads the declared lock hierarchy (`lockorder.order`, see docs/order-file.md) and reports '
      + 'every place that takes a lock while holding one declared after it, takes two locks of one '
      + 'group together, or nests two locks of a family that has no `ascending by` order. Locks missing '
      + 'from the file are unconstrained.',
    whyIsThisBad: 'The declared order is what makes the program deadlock-free by design. One path against it '
      + 'is enough for a deadlock as soon as another path follows the declared order, and it is reported '
      + 'at once, before that second path exists.',
    example: [
      '# lockorder.order',
      'app.db_lock',
      'app.cache_lock',
      '',
      '# app.py',
      'with cache_lock:',
      '    with db_lock:  # LO106: db_lock is declared before cache_lock',
      '        ...',
    ].join('\n'),
    useInstead: [
      'with db_lock:',
      '    with cache_lock:',
      '        ...',
    ].join('\n'),
    fixSafety: 'The quick fix changes the order file, not the code: it moves the lock to where the code '
      + 'takes it. That changes the declared design, so it is never applied by "fix all".',
  },
};

function check(program: Program): Finding[] {
  const declared = program.declared;
  if (!declared) return [];
  const out: Finding[] = [];
  const seen = new Set<string>();
  for (const e of program.edges) {
    // A batch over a family's keys takes them in no order of its own: LO101 weighs it against nestings.
    if (e.from.batchOf) continue;
    const a = declared.find(e.from.lock.name);
    const b = declared.find(e.to.lock.name);
    if (a === undefined || b === undefined) continue;
    const why = reason(program, e, a, b);
    if (!why) continue;
    const at = siteInHolder(e);
    const key = `${at.file}:${at.range.start.line}:${at.range.start.character}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const line = declared.entries[a === b ? a : b].line;
    out.push(finding(meta, {
      message: `Declared-order violation: ${lockName(e.to)} acquired while holding ${lockName(e.from)} in ${program.where(e.fn)}, but ${why}.`,
      location: at,
      related: [
        { location: e.from.site, message: `${lockName(e.from)} acquired here` },
        { location: { file: declared.path, range: lineRange(line) }, message: `declared here (${declared.entries[a === b ? a : b].pattern})` },
      ],
      fixes: moveFix(program, a, b),
      locks: [e.from.lock.id, e.to.lock.id],
    }));
  }
  return out;
}

function reason(program: Program, e: OrderEdge, a: number, b: number): string | undefined {
  const declared = program.declared!;
  if (a === b) {
    if (e.from.lock.id !== e.to.lock.id || declared.entries[a].ascendingBy) return undefined;
    return `${declared.entries[a].pattern} is a family whose locks must never nest (no "ascending by" order is declared)`;
  }
  if (declared.sameGroup(a, b)) return `${declared.entries[a].pattern} and ${declared.entries[b].pattern} are declared as one group, which must never nest`;
  if (declared.before(b, a)) return `${declared.entries[b].pattern} is declared before ${declared.entries[a].pattern} in ${basename(declared.path)}`;
  return undefined;
}

function lineRange(line: number) {
  return { start: { line, character: 0 }, end: { line, character: 0 } };
}

/** "Add `x` to lockorder.order after `y`": re-declare the taken lock where the code puts it. */
function moveFix(program: Program, a: number, b: number): Fix[] {
  const declared = program.declared!;
  const held = declared.entries[a];
  const taken = declared.entries[b];
  if (a === b) return [];
  const file = declared.path;
  const title = `Add ${taken.pattern} to lockorder.order after ${held.pattern} (changes the declared order)`;
  const whole = (line: number) => ({ start: { line, character: 0 }, end: { line: line + 1, character: 0 } });
  const lineOf = (kind: string, both: boolean) => declared.lines.find((l) => l.kind === kind
    && l.names.includes(taken.pattern) && (!both || l.names.includes(held.pattern)));
  const chain = declared.lines.find((l) => l.kind === 'chain' && l.line === taken.line && l.names.length === 1);
  if (chain) {
    return [{ title, safe: false, edits: [
      { file, range: whole(chain.line), newText: '' },
      { file, range: lineRange(held.line + 1), newText: `${taken.pattern}\n` },
    ] }];
  }
  const relation = lineOf('relation', true);
  if (relation) {
    const names = relation.names.map((n) => (n === taken.pattern ? held.pattern : n === held.pattern ? taken.pattern : n));
    return [{ title, safe: false, edits: [{ file, range: whole(relation.line), newText: `${names.join(' < ')}\n` }] }];
  }
  const group = lineOf('group', true);
  if (group) {
    const rest = group.names.filter((n) => n !== taken.pattern);
    const kept = rest.length > 1 ? `${rest.join(' = ')}\n` : '';
    return [{ title, safe: false, edits: [{ file, range: whole(group.line), newText: `${kept}${held.pattern} < ${taken.pattern}\n` }] }];
  }
  return [];
}

/** LO106 declared-order-violation. */
export const declaredOrderViolation: Rule = { meta, check };
