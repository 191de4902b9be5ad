// Paths that exist only for some flag values (F6 of docs/realcode-findings.md): a finalizer calls
// `self._die()` whose `synchronous=False` default sends it down `if synchronous:`'s other branch,
// or passes `lock=False` to a method that takes its lock only `if lock:`. Constant arguments
// (True, False, None, numbers) and defaults are bound to the callee's parameters along the
// calls, and branches guarded by a parameter they make false (or true) are skipped.

import type { CallFact, GuardFact } from './events';
import type { ResolvedCall, Taken } from './model';
import type { Program } from './program';
import type { FunctionInfo } from './symbols';
import type { Location, Position } from './types';

/** Parameter name → its known truth value. */
type Env = Map<string, boolean>;

const MAX_DEPTH = 12;
const MAX_VISITS = 400;

/**
 * The lock an entry point takes, on a path whose guarded branches can all run: `takes` itself
 * when its own call chain can, another path to the same lock when only that one can, undefined
 * when no path can. Unsure cases (a path too deep, a call not found) keep `takes`.
 */
export function feasibleTaken(program: Program, entry: FunctionInfo, takes: Taken): Taken | undefined {
  if (takes.boundAt || !hasGuards(program)) return takes;
  const own = chainFeasible(program, entry, takes);
  if (own !== false) return takes;
  const search = { program, lock: takes.lock.id, visits: 0, unsure: false };
  const found = pathTo(search, entry, new Map(), [], 0, new Set());
  if (found) return { ...takes, ...found };
  return search.unsure ? takes : undefined;
}

/** Whether any file records a guarded branch (else nothing can be pruned). */
function hasGuards(program: Program): boolean {
  return program.files.some((f) => !!f.guards?.length);
}

/** Whether the summary's own chain can run: false when a step is pruned, undefined when unsure. */
function chainFeasible(program: Program, entry: FunctionInfo, takes: Taken): boolean | undefined {
  let fn = entry;
  let env: Env = new Map();
  for (const at of takes.chain) {
    const call = program.calleesOf(fn.key).find((c) => c.file === at.file && samePosition(c.fact.range.start, at.range.start));
    if (!call) return undefined;
    if (pruned(program, fn, at.range.start, env)) return false;
    env = bind(program, call, env);
    fn = call.callee;
  }
  if (fn !== takes.fn) return undefined;
  return !pruned(program, fn, takes.site.range.start, env);
}

interface Search {
  program: Program;
  lock: string;
  visits: number;
  unsure: boolean;
}

/** A path from `fn` (with `env`) to an acquisition of the lock whose branches can run. */
function pathTo(s: Search, fn: FunctionInfo, env: Env, chain: Location[], depth: number, seen: Set<string>): Pick<Taken, 'site' | 'fn' | 'chain' | 'via'> | undefined {
  const key = `${fn.key}|${[...env].map(([k, v]) => `${k}=${v}`).join(',')}`;
  if (seen.has(key)) return undefined;
  seen.add(key);
  if (depth > MAX_DEPTH || ++s.visits > MAX_VISITS) {
    s.unsure = true;
    return undefined;
  }
  const { program } = s;
  const implicit = program.implicitHeld(fn).find((h) => h.lock.id === s.lock);
  if (implicit) return { site: implicit.site, fn, chain, via: implicit.via };
  const facts = fn.module.facts;
  for (const a of facts.acquires) {
    if (a.functionId !== fn.fact.id || !a.blocking || pruned(program, fn, a.range.start, env)) continue;
    if (program.resolve(fn, a.lock)?.lock.id === s.lock) return { site: { file: fn.module.file, range: a.range }, fn, chain, via: a.via };
  }
  for (const call of program.calleesOf(fn.key)) {
    if (pruned(program, fn, call.fact.range.start, env)) continue;
    if (!program.takenBy(call.callee.key).some((t) => t.lock.id === s.lock)) continue;
    const at = { file: call.file, range: call.fact.range };
    const found = pathTo(s, call.callee, bind(program, call, env), [...chain, at], depth + 1, seen);
    if (found) return found;
  }
  return undefined;
}

/** Whether code at `pos` in `fn` sits in a branch its guard's known value rules out. */
function pruned(program: Program, fn: FunctionInfo, pos: Position, env: Env): boolean {
  if (env.size === 0) return false;
  return guardsOf(program, fn).some((g) => env.has(g.name) && env.get(g.name) !== g.truthy && contains(g, pos));
}

function guardsOf(program: Program, fn: FunctionInfo): GuardFact[] {
  return (fn.module.facts.guards ?? []).filter((g) => g.functionId === fn.fact.id);
}

function contains(g: GuardFact, pos: Position): boolean {
  const { start, end } = g.range;
  const after = pos.line > start.line || (pos.line === start.line && pos.character >= start.character);
  const before = pos.line < end.line || (pos.line === end.line && pos.character < end.character);
  return after && before;
}

/**
 * The truth values a call gives its callee's parameters: constant arguments, names whose value
 * the caller knows, and constant defaults of parameters it leaves out. A parameter the callee
 * assigns again is left unknown.
 */
function bind(program: Program, call: ResolvedCall, env: Env): Env {
  const out: Env = new Map();
  const params = parametersOf(program, call.callee);
  if (!params) return out;
  const written = argumentTexts(program, call.file, call.fact);
  if (!written || written.some((a) => a.startsWith('*'))) return out;
  const bound = call.callee.selfName && (call.fact.callee.kind === 'attr' || call.callee.fact.name === '__init__');
  const positional = params.positional.slice(bound ? 1 : 0);
  const given = new Map<string, boolean | undefined>();
  let i = 0;
  for (const text of written) {
    const kw = /^([A-Za-z_]\w*)\s*=(?!=)\s*([\s\S]*)$/.exec(text);
    const name = kw ? kw[1] : positional[i++];
    if (name) given.set(name, valueOf(kw ? kw[2] : text, env));
  }
  for (const [name, dflt] of params.defaults) if (!given.has(name)) given.set(name, dflt);
  for (const [name, v] of given) if (v !== undefined && !reassigned(program, call.callee, name)) out.set(name, v);
  return out;
}

/** The truth value of an argument's text: a constant, or a name the caller knows. */
function valueOf(text: string, env: Env): boolean | undefined {
  const t = text.trim();
  if (t === 'True') return true;
  if (t === 'False' || t === 'None' || t === '0' || t === "''" || t === '""') return false;
  if (/^-?\d+$/.test(t)) return true;
  return env.get(t);
}

/** A function's positional parameters and constant defaults, read from its `def` line(s). */
function parametersOf(program: Program, fn: FunctionInfo): { positional: string[]; defaults: Map<string, boolean | undefined> } | undefined {
  const text = textIn(program, fn.module.file, fn.fact.range.start, fn.fact.range.end);
  const open = text.indexOf('(');
  const close = open < 0 ? -1 : closing(text, open);
  if (close < 0) return undefined;
  const positional: string[] = [];
  const defaults = new Map<string, boolean | undefined>();
  let keywordOnly = false;
  for (const piece of splitTopLevel(text.slice(open + 1, close))) {
    if (piece === '/' || piece === '') continue;
    if (piece.startsWith('*')) {
      keywordOnly = true;
      continue;
    }
    const m = /^([A-Za-z_]\w*)\s*(?::[^=]*)?(?:=\s*([\s\S]*))?$/.exec(piece);
    if (!m) return undefined;
    if (!keywordOnly) positional.push(m[1]);
    if (m[2] !== undefined) defaults.set(m[1], valueOf(m[2], new Map()));
  }
  return { positional, defaults };
}

/** The texts of a call's arguments (its last parenthesized list), split at top-level commas. */
function argumentTexts(program: Program, file: string, call: CallFact): string[] | undefined {
  const text = textIn(program, file, call.range.start, call.range.end);
  if (!text.endsWith(')')) return undefined;
  let depth = 0;
  for (let i = text.length - 1; i >= 0; i--) {
    const c = text[i];
    if (c === ')' || c === ']' || c === '}') depth++;
    else if ((c === '(' || c === '[' || c === '{') && --depth === 0) {
      return c === '(' ? splitTopLevel(text.slice(i + 1, -1)).filter((p) => p !== '') : undefined;
    } else if (c === '"' || c === "'") return undefined;
  }
  return undefined;
}

/** Whether a function assigns a name again (`flag = ...`, `for flag in`, `as flag`). */
function reassigned(program: Program, fn: FunctionInfo, name: string): boolean {
  const text = textIn(program, fn.module.file, fn.fact.range.start, fn.fact.range.end);
  const body = text.slice(text.indexOf(':', closing(text, text.indexOf('('))));
  return new RegExp(`(^|[^\\w.=!<>])${name}\\s*(=(?!=)|[-+*/|&]=)|\\b(for|as)\\s+${name}\\b|\\bnonlocal\\s+${name}\\b|\\bglobal\\s+${name}\\b`).test(body);
}

/** Split a list's inside at its top-level commas (quotes taken as opaque, simply). */
function splitTopLevel(inner: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  let quote = '';
  for (let i = 0; i < inner.length; i++) {
    const c = inner[i];
    if (quote) {
      if (c === quote) quote = '';
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    else if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') depth--;
    else if (c === ',' && depth === 0) {
      out.push(inner.slice(start, i).trim());
      start = i + 1;
    }
  }
  out.push(inner.slice(start).trim());
  return out;
}

/** The index of the bracket closing the one at `open`, or -1. */
function closing(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i >= 0 && i < text.length; i++) {
    const c = text[i];
    if (c === '(' || c === '[' || c === '{') depth++;
    else if ((c === ')' || c === ']' || c === '}') && --depth === 0) return i;
  }
  return -1;
}

/** The source text between two positions of a file. */
function textIn(program: Program, file: string, start: Position, end: Position): string {
  const text = program.textOf(file);
  const starts = lineStartsOf(program, file, text);
  return text.slice(starts[start.line] + start.character, starts[end.line] + end.character);
}

const lineCache = new WeakMap<Program, Map<string, { text: string; starts: number[] }>>();

function lineStartsOf(program: Program, file: string, text: string): number[] {
  let byFile = lineCache.get(program);
  if (!byFile) lineCache.set(program, (byFile = new Map()));
  const hit = byFile.get(file);
  if (hit && hit.text === text) return hit.starts;
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  byFile.set(file, { text, starts });
  return starts;
}

function samePosition(a: Position, b: Position): boolean {
  return a.line === b.line && a.character === b.character;
}
