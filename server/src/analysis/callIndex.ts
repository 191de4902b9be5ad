// The program's resolved calls, kept per file and indexed both ways (who calls a function,
// whom a function calls), so one file's calls can be replaced after an edit.

import type { ResolvedCall } from './model';

/** Resolved calls by file, by caller and by callee. */
export class CallIndex {
  private byFile = new Map<string, ResolvedCall[]>();
  /** Callee key → calls reaching it. */
  readonly callers = new Map<string, ResolvedCall[]>();
  /** Caller key → calls it makes. */
  readonly callees = new Map<string, ResolvedCall[]>();
  private flat: ResolvedCall[] | undefined;

  /** Replace one file's resolved calls. */
  set(file: string, calls: ResolvedCall[]): void {
    const old = this.byFile.get(file);
    if (old) {
      const gone = new Set(old);
      for (const key of new Set(old.map((c) => c.callee.key))) prune(this.callers, key, gone);
      for (const key of new Set(old.map((c) => c.caller.key))) prune(this.callees, key, gone);
    }
    this.byFile.set(file, calls);
    for (const c of calls) {
      push(this.callers, c.callee.key, c);
      push(this.callees, c.caller.key, c);
    }
    this.flat = undefined;
  }

  /** One file's resolved calls. */
  of(file: string): ResolvedCall[] {
    return this.byFile.get(file) ?? [];
  }

  /** Every resolved call, file by file. */
  all(): ResolvedCall[] {
    this.flat ??= [...this.byFile.values()].flat();
    return this.flat;
  }

  /** Which function calls which, in one file, as one string (to tell whether the call graph changed). */
  pairsOf(file: string): string {
    return [...new Set(this.of(file).map((c) => `${c.caller.key}>${c.callee.key}`))].sort().join('\n');
  }

  /** The functions `keys` and every function that reaches them through calls. */
  callersClosure(keys: string[]): Set<string> {
    const out = new Set(keys);
    const stack = [...keys];
    while (stack.length) {
      for (const c of this.callers.get(stack.pop()!) ?? []) {
        if (out.has(c.caller.key)) continue;
        out.add(c.caller.key);
        stack.push(c.caller.key);
      }
    }
    return out;
  }
}

function push(map: Map<string, ResolvedCall[]>, key: string, c: ResolvedCall): void {
  const list = map.get(key);
  if (list) list.push(c);
  else map.set(key, [c]);
}

function prune(map: Map<string, ResolvedCall[]>, key: string, gone: Set<ResolvedCall>): void {
  const list = map.get(key)?.filter((c) => !gone.has(c));
  if (list?.length) map.set(key, list);
  else map.delete(key);
}
