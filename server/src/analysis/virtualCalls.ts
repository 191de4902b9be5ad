// Calls whose callee the receiver's class decides at run time, found from the analysed class
// hierarchy (Python; TS/JS front ends list theirs in CallFact.dispatch):
// - `self.m()` (CallFact.onSelf) in a method of K also runs the override of `m` in each analysed
//   subclass of K, for an instance of that subclass. A lock such an override takes reaches a
//   caller only through calls on `self` from that subclass, or on an object known to be one
//   (`S()`; strict, see dispatch.ts), never on an object of unknown class.
// - `ctx.Process(...)` on a receiver of unknown class, where analysed classes bind the class
//   attribute `Process` to analysed classes (`Process = ForkProcess`): the call builds an
//   instance of one of them, and `p = ctx.Process(...); p.start()` runs `start` of each.

import { COMMON_METHODS, type ClassInfo, type FunctionInfo, type Scope, type Symbols } from './symbols';
import type { CallFact, Ref } from './events';
import type { Dispatched } from './dispatch';
import { refText } from './refText';

/** A callee found from the class hierarchy, with the classes its receiver is exactly one of (if known). */
export interface ClassCallee {
  fn: FunctionInfo;
  receiver: string;
  exact?: ClassInfo[];
}

/** Subclass and class-attribute indexes of one linked program. */
export class VirtualCalls {
  private subclasses?: Map<ClassInfo, ClassInfo[]>;
  private below = new Map<ClassInfo, ClassInfo[]>();
  private bound?: Map<string, ClassInfo[]>;

  constructor(private symbols: Symbols) {}

  /** The overrides a `self.m()` call may run besides `resolved`: one per analysed subclass that defines `m`. */
  overrides(call: CallFact, scope: Scope, resolved: FunctionInfo | undefined): Dispatched[] {
    const fn = scope.fn;
    const callee = call.callee;
    if (!call.onSelf || call.dispatch || callee.kind !== 'attr' || !fn?.cls || !fn.selfName || callee.attr.startsWith('__')) return [];
    const out: Dispatched[] = [];
    for (const sub of this.subclassesOf(fn.cls)) {
      const m = sub.methods.get(callee.attr);
      if (m && m !== resolved && !out.some((o) => o.fn === m)) out.push({ fn: m, receiver: fn.selfName, cls: sub });
    }
    return out;
  }

  /**
   * `x.N(...)` with `x` of unknown class, `N` a class attribute bound to analysed classes: their
   * constructors; `v.m()` with `v = x.N(...)`: `m` of each of those classes.
   */
  classAttrCallees(ref: Ref, scope: Scope): ClassCallee[] {
    if (ref.kind !== 'attr') return [];
    const built = this.boundClasses(ref, scope);
    if (built.length) return this.methodsOf(built, '__init__', '?');
    const fn = scope.fn;
    const v = ref.base;
    if (v.kind !== 'name' || !fn || fn.fact.params.includes(v.name) || fn.aliases.has(v.name)) return [];
    const type = fn.localTypes.get(v.name);
    if (type?.kind !== 'attr') return [];
    return this.methodsOf(this.boundClasses(type, scope), ref.attr, v.name);
  }

  /** The method of each class (grouped by the function it is), on a receiver that is exactly one of them. */
  private methodsOf(classes: ClassInfo[], name: string, receiver: string): ClassCallee[] {
    const out: ClassCallee[] = [];
    for (const cls of classes) {
      const m = this.symbols.findInClass(cls, (c) => c.methods.get(name));
      if (!m) continue;
      const same = out.find((o) => o.fn === m);
      if (same) same.exact!.push(cls);
      else out.push({ fn: m, receiver, exact: [cls] });
    }
    return out;
  }

  /** The classes `x.N` may be, for a receiver `x` of unknown class and a class-like `N` bound in analysed classes. */
  private boundClasses(ref: Ref, scope: Scope): ClassInfo[] {
    if (ref.kind !== 'attr' || !/^_*[A-Z]/.test(ref.attr) || COMMON_METHODS.has(ref.attr)) return [];
    const classes = this.boundIndex().get(ref.attr);
    if (!classes || this.symbols.symbolOfRef(ref, scope) || this.symbols.symbolOfRef(ref.base, scope)) return [];
    if (this.symbols.classOfExpr(ref.base, scope) || this.symbols.isForeign(ref.base, scope) || refText(ref.base) === '') return [];
    return classes;
  }

  private boundIndex(): Map<string, ClassInfo[]> {
    if (this.bound) return this.bound;
    this.bound = new Map();
    for (const mod of this.symbols.modules.values()) {
      for (const c of mod.facts.classes) {
        for (const [name, value] of Object.entries(c.names ?? {})) {
          const sym = this.symbols.symbolOfRef(value, { module: mod });
          if (sym?.kind !== 'class') continue;
          const list = this.bound.get(name) ?? [];
          if (!list.includes(sym.cls)) list.push(sym.cls);
          this.bound.set(name, list);
        }
      }
    }
    return this.bound;
  }

  /** Analysed classes deriving from a class, directly or not. */
  private subclassesOf(cls: ClassInfo): ClassInfo[] {
    if (!this.subclasses) {
      this.subclasses = new Map();
      for (const mod of this.symbols.modules.values()) {
        for (const c of mod.classes.values()) {
          for (const b of this.symbols.basesOf(c)) {
            const list = this.subclasses.get(b);
            if (list) list.push(c);
            else this.subclasses.set(b, [c]);
          }
        }
      }
    }
    const known = this.below.get(cls);
    if (known) return known;
    const out = new Set<ClassInfo>();
    const walk = (c: ClassInfo) => {
      for (const s of this.subclasses!.get(c) ?? []) {
        if (out.has(s) || s === cls) continue;
        out.add(s);
        walk(s);
      }
    };
    walk(cls);
    const found = [...out];
    this.below.set(cls, found);
    return found;
  }
}
