// What container attributes hold, from the objects put in them (`f._waiters.append(waiter)`,
// where `waiter` was built as one of three classes): a call on a loop variable over such an
// attribute (`for waiter in self._waiters: waiter.add_result(self)`) may run the method of each.
// The attribute is known by its name within one module, when exactly one class of that module
// sets it on its instances (asyncio's locks and concurrent.futures' Future both have `_waiters`).

import type { ElementFact, Ref } from './events';
import type { ClassInfo, FunctionInfo, Scope, Symbols } from './symbols';

/** Per module and attribute name, the classes of the objects put in it; built once per linked program. */
export class ElementTypes {
  private byAttr?: Map<string, Set<ClassInfo>>;

  constructor(private symbols: Symbols) {}

  /** The methods a call `v.m()` may run, when `v` loops over a container attribute whose elements' classes are known. */
  callees(ref: Ref, scope: Scope): { fn: FunctionInfo; receiver: string }[] {
    const fn = scope.fn;
    if (ref.kind !== 'attr' || ref.base.kind !== 'name' || !fn) return [];
    const name = ref.base.name;
    if (fn.fact.params.includes(name) || fn.localTypes.has(name) || fn.aliases.has(name)) return [];
    const over = fn.fact.loopVars?.find((v) => v.name === name)?.over;
    if (over?.kind !== 'attr') return [];
    const out: { fn: FunctionInfo; receiver: string }[] = [];
    for (const cls of this.index().get(`${fn.module.file}#${over.attr}`) ?? []) {
      const m = this.symbols.findInClass(cls, (c) => c.methods.get(ref.attr));
      if (m && !out.some((o) => o.fn === m)) out.push({ fn: m, receiver: name });
    }
    return out;
  }

  /**
   * Whether a function puts an object of a known class in a container attribute: only such a put
   * can change what the attribute holds (`self.items.append(item)` with an untyped `item` cannot).
   */
  fills(fn: FunctionInfo): boolean {
    const file = fn.module.file;
    return !!fn.module.facts.elements?.some((e) => e.functionId === fn.fact.id && this.classesOf(e, file).length > 0);
  }

  private index(): Map<string, Set<ClassInfo>> {
    if (this.byAttr) return this.byAttr;
    const owners = new Map<string, Set<string>>();
    for (const mod of this.symbols.modules.values()) {
      for (const t of mod.facts.types) {
        if (t.owner !== 'instance' || !t.className) continue;
        const key = `${mod.file}#${t.name}`;
        if (!owners.has(key)) owners.set(key, new Set());
        owners.get(key)!.add(t.className);
      }
    }
    this.byAttr = new Map();
    for (const mod of this.symbols.modules.values()) {
      for (const e of mod.facts.elements ?? []) {
        const key = e.container.kind === 'attr' ? `${mod.file}#${e.container.attr}` : '';
        if (owners.get(key)?.size !== 1) continue;
        for (const cls of this.classesOf(e, mod.file)) {
          if (!this.byAttr.has(key)) this.byAttr.set(key, new Set());
          this.byAttr.get(key)!.add(cls);
        }
      }
    }
    return this.byAttr;
  }

  /** The classes the value put in may be: a constructor call, or a local built as one or more classes. */
  private classesOf(e: ElementFact, file: string): ClassInfo[] {
    const fn = this.symbols.functionIn(file, e.functionId);
    const mod = this.symbols.modules.get(file)!;
    const scope: Scope = { module: mod, fn };
    if (e.value.kind === 'call') {
      const built = this.symbols.classOfExpr(e.value, scope);
      return built ? [built.cls] : [];
    }
    if (e.value.kind !== 'name') return [];
    const name = e.value.name;
    const out: ClassInfo[] = [];
    for (const t of mod.facts.types) {
      if (t.owner !== 'local' || t.functionId !== e.functionId || t.name !== name || t.plain) continue;
      const sym = this.symbols.symbolOfRef(t.type, scope);
      if (sym?.kind === 'class' && !out.includes(sym.cls)) out.push(sym.cls);
    }
    return out;
  }
}
