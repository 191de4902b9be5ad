// Symbol tables of the linked program: modules, classes, functions and lock classes,
// and the resolution of symbolic references (`self._lock`, `mod.f`, `locks[i]`) to them.

import * as path from 'node:path';
import { MODULE_FUNCTION, type FileFacts, type FunctionFact, type ImportFact, type LockDefFact, type Ref, type TypeFact } from './events';
import { ModuleIndex, moduleNames } from './modules';
import { isReentrant } from './lockKinds';
import { refText } from './refText';
import { accessorCallLock, propertyLock } from './accessors';
import { injectedLock } from './injectedLocks';
import { injectedType } from './injectedTypes';
import type { LockClass } from './types';

/** A module: one file's facts plus its tables. */
export interface ModuleInfo {
  file: string;
  name: string;
  isPackage: boolean;
  facts: FileFacts;
  functions: Map<string, FunctionInfo>;
  /** Every function of the file (methods and nested ones too) by id. */
  byId: Map<string, FunctionInfo>;
  /** Ids that begin another function's id before a dot (`f` for `f.g`): only these can have nested functions. */
  prefixes: Set<string>;
  classes: Map<string, ClassInfo>;
  globalLocks: Map<string, LockDefFact>;
  /** Module-level names known to hold an instance of a class. */
  globalTypes: Map<string, Ref>;
}

/** A class, with its methods and lock attributes (class and instance). */
export interface ClassInfo {
  key: string;
  qualname: string;
  module: ModuleInfo;
  methods: Map<string, FunctionInfo>;
  lockAttrs: Map<string, LockDefFact>;
  /** Attributes known to hold an instance of a class (`self.db = Database()`, `db: Database`). */
  attrTypes: Map<string, Ref>;
  bases?: ClassInfo[];
  baseNames: string[];
}

/** A function, with its local locks and aliases. */
export interface FunctionInfo {
  key: string;
  fact: FunctionFact;
  module: ModuleInfo;
  cls?: ClassInfo;
  selfName?: string;
  locals: Map<string, LockDefFact>;
  aliases: Map<string, Ref>;
  localTypes: Map<string, Ref>;
}

/** A lock reference resolved to its class, with an instance key (`g` for singletons). */
export interface ResolvedLock {
  lock: LockClass;
  inst: string;
  /** Set when the lock was found by attribute name alone (one class defines it). */
  byName?: boolean;
  /** Set when the lock is taken by a context manager or decorator, not named directly. */
  hidden?: boolean;
}

/** A class an expression evaluates to an instance of (or the class itself, for `Cls.x`). */
interface TypedExpr {
  cls: ClassInfo;
  byName?: boolean;
}

/** Instance keys that cannot be compared: unknown receiver, or a callee's fresh local. */
export const UNKNOWN_INSTANCE = '?';

/** Context a reference is resolved in. */
export interface Scope {
  module: ModuleInfo;
  fn?: FunctionInfo;
}

/** The linked symbol tables. */
export class Symbols {
  modules = new Map<string, ModuleInfo>();
  functions = new Map<string, FunctionInfo>();
  locks = new Map<string, LockClass>();
  private lockOfDef = new Map<LockDefFact, LockClass | null>();
  private index: ModuleIndex;

  constructor(files: FileFacts[]) {
    const names = moduleNames(files.filter((f) => f.module === undefined).map((f) => f.path));
    for (const f of files) if (f.module !== undefined) names.set(f.path, f.module);
    this.index = new ModuleIndex(names);
    for (const facts of files) this.addModule(facts, names.get(facts.path) ?? facts.path);
  }

  private addModule(facts: FileFacts, name: string): void {
    const mod: ModuleInfo = {
      file: facts.path, name, isPackage: path.basename(facts.path) === '__init__.py', facts,
      functions: new Map(), byId: new Map(), prefixes: new Set(), classes: new Map(), globalLocks: new Map(), globalTypes: new Map(),
    };
    this.modules.set(facts.path, mod);
    for (const c of facts.classes) {
      mod.classes.set(c.qualname, {
        key: flatKey(facts.path, c.qualname), qualname: c.qualname, module: mod, methods: new Map(), lockAttrs: new Map(),
        attrTypes: new Map(),
        baseNames: c.bases.map((b) => (b.kind === 'name' ? b.name : b.kind === 'attr' ? b.attr : '')),
      });
    }
    for (const f of facts.functions) this.addFunction(mod, f);
    this.addFunction(mod, {
      id: MODULE_FUNCTION, qualname: MODULE_FUNCTION, name: MODULE_FUNCTION, params: [],
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      nameRange: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    });
    for (const d of facts.lockDefs) this.addLockDef(mod, d);
    for (const a of facts.aliases) setAlias(mod.byId.get(a.functionId), a.name, a.value);
    for (const t of facts.types) {
      if (t.owner === 'module') setType(mod.globalTypes, t);
      else if (t.owner === 'local') setLocalType(t.functionId === undefined ? undefined : mod.byId.get(t.functionId), t);
      else if (t.className) setType(mod.classes.get(t.className)?.attrTypes, t);
    }
  }

  /** A function of a file by its id (quicker than by key). */
  functionIn(file: string, id: string): FunctionInfo | undefined {
    return this.modules.get(file)?.byId.get(id);
  }

  /**
   * Swap in a file's new facts after an edit that changed only function bodies (the same
   * classes, functions, locks and types): functions keep their identity and get their new
   * facts, aliases and local types.
   */
  replaceBodies(facts: FileFacts): void {
    const mod = this.modules.get(facts.path);
    if (!mod) return;
    mod.facts = facts;
    this.looked.clear();
    for (const f of facts.functions) {
      const info = mod.byId.get(f.id);
      if (!info) continue;
      info.fact = f;
      info.aliases.clear(); // no-op on the shared empty table
      info.localTypes.clear();
    }
    for (const a of facts.aliases) setAlias(mod.byId.get(a.functionId), a.name, a.value);
    for (const t of facts.types) if (t.owner === 'local') setLocalType(t.functionId === undefined ? undefined : mod.byId.get(t.functionId), t);
  }

  private addFunction(mod: ModuleInfo, f: FunctionFact): void {
    const cls = f.className ? mod.classes.get(f.className) : undefined;
    const info: FunctionInfo = {
      key: flatKey(mod.file, f.id), fact: f, module: mod, cls, locals: NO_ENTRIES, aliases: NO_ENTRIES, localTypes: NO_ENTRIES,
      selfName: cls ? f.params[0] : undefined,
    };
    if (f.parent && !cls) {
      const parent = mod.byId.get(f.parent);
      info.cls = parent?.cls;
      info.selfName = parent?.selfName;
    }
    this.functions.set(info.key, info);
    mod.byId.set(f.id, info);
    for (let i = f.id.indexOf('.'); i >= 0; i = f.id.indexOf('.', i + 1)) mod.prefixes.add(f.id.slice(0, i));
    if (cls && !cls.methods.has(f.name)) cls.methods.set(f.name, info);
    else if (!f.className && !f.parent) mod.functions.set(f.name, info);
  }

  private addLockDef(mod: ModuleInfo, d: LockDefFact): void {
    const t = d.target;
    if (t.scope === 'module') mod.globalLocks.set(t.name, d);
    else if (t.scope === 'local') {
      const fn = mod.byId.get(t.functionId);
      if (fn) (fn.locals === NO_ENTRIES ? (fn.locals = new Map()) : fn.locals).set(t.name, d);
    }
    else {
      const cls = mod.classes.get(t.className);
      if (cls && !cls.lockAttrs.has(t.name)) cls.lockAttrs.set(t.name, d);
    }
  }

  /** The module a local import name binds, or a symbol inside one. */
  private imported(mod: ModuleInfo, name: string): { module?: ModuleInfo; symbol?: string } | undefined {
    const imp = this.importsByName(mod).get(name);
    return imp && this.importTarget(mod, imp);
  }

  /** Per module, its imports by local name, and the list they were indexed from (an edit swaps a module's facts). */
  private byLocal = new Map<ModuleInfo, { of: ImportFact[]; map: Map<string, ImportFact> }>();

  /** Per local name, the import that binds it: the first at top level, else the first anywhere. */
  private importsByName(mod: ModuleInfo): Map<string, ImportFact> {
    const known = this.byLocal.get(mod);
    if (known && known.of === mod.facts.imports) return known.map;
    const map = new Map<string, ImportFact>();
    for (const i of mod.facts.imports) if (i.line === undefined && !map.has(i.local)) map.set(i.local, i);
    for (const i of mod.facts.imports) if (!map.has(i.local)) map.set(i.local, i);
    this.byLocal.set(mod, { of: mod.facts.imports, map });
    return map;
  }

  private targets = new WeakMap<ImportFact, { module?: ModuleInfo; symbol?: string } | null>();

  /** What one import binds: a module, or a symbol inside an analysed one (the set of modules never changes). */
  private importTarget(mod: ModuleInfo, imp: ImportFact): { module?: ModuleInfo; symbol?: string } | undefined {
    let target = this.targets.get(imp);
    if (target === undefined) this.targets.set(imp, (target = this.findImportTarget(mod, imp) ?? null));
    return target ?? undefined;
  }

  private findImportTarget(mod: ModuleInfo, imp: ImportFact): { module?: ModuleInfo; symbol?: string } | undefined {
    if (imp.name === undefined) {
      const file = this.index.resolve(mod.name, mod.isPackage, imp.module, imp.level);
      return file ? { module: this.modules.get(file) } : undefined;
    }
    const sub = this.index.resolve(mod.name, mod.isPackage, imp.module ? `${imp.module}.${imp.name}` : imp.name, imp.level);
    if (sub) return { module: this.modules.get(sub) };
    const file = this.index.resolve(mod.name, mod.isPackage, imp.module, imp.level);
    const target = file ? this.modules.get(file) : undefined;
    return target ? { module: target, symbol: imp.name } : undefined;
  }

  /** The analysed modules a module's own top-level imports load (`from pkg import sub`: `pkg.sub`, else `pkg`). */
  importedModules(mod: ModuleInfo): ModuleInfo[] {
    const out: ModuleInfo[] = [];
    for (const imp of mod.facts.imports) {
      const target = imp.line === undefined ? this.importTarget(mod, imp)?.module : undefined;
      if (target && !out.includes(target)) out.push(target);
    }
    return out;
  }

  /** The module and name a `from mod import NAME` binds, when `mod` is analyzed. */
  importedSymbol(mod: ModuleInfo, name: string): { module: ModuleInfo; symbol: string } | undefined {
    const imp = this.imported(mod, name);
    return imp?.module && imp.symbol !== undefined ? { module: imp.module, symbol: imp.symbol } : undefined;
  }

  /**
   * A name bound by an import inside the scope's function or an enclosing one
   * (`from .popen_fork import Popen` in a method: each method may import another `Popen`).
   */
  private localImport(scope: Scope, name: string): Symbol | undefined {
    const imports = scope.fn ? this.functionImports(scope.module).get(name) : undefined;
    for (let fn = scope.fn; fn && imports; fn = parentOf(fn)) {
      const range = fn.fact.range;
      const imp = imports.find((i) => range.start.line <= i.line! && i.line! <= range.end.line);
      const target = imp && this.importTarget(scope.module, imp);
      if (!target?.module) continue;
      return target.symbol === undefined ? { kind: 'module', module: target.module } : this.lookup(target.module, target.symbol, 1);
    }
    return undefined;
  }

  private inFunctions = new Map<ModuleInfo, Map<string, ImportFact[]>>();

  /** A module's imports made inside functions, by the name they bind. */
  private functionImports(mod: ModuleInfo): Map<string, ImportFact[]> {
    let map = this.inFunctions.get(mod);
    if (!map) {
      map = new Map();
      for (const i of mod.facts.imports) if (i.line !== undefined) map.set(i.local, [...(map.get(i.local) ?? []), i]);
      this.inFunctions.set(mod, map);
    }
    return map;
  }

  /** What a bare or dotted name means in a module: a module, a class, a function or a lock. */
  lookup(mod: ModuleInfo, name: string, depth = 0): Symbol | undefined {
    if (depth > 0) return this.find(mod, name, depth);
    let known = this.looked.get(mod);
    if (!known) this.looked.set(mod, (known = new Map()));
    let sym = known.get(name);
    if (sym === undefined) known.set(name, (sym = this.find(mod, name, 0) ?? null));
    return sym ?? undefined;
  }

  /** Per module, what names looked up from it (at depth 0) mean; emptied when an edit swaps facts. */
  private looked = new Map<ModuleInfo, Map<string, Symbol | null>>();

  private find(mod: ModuleInfo, name: string, depth: number): Symbol | undefined {
    if (depth > 8) return undefined;
    const cls = mod.classes.get(name);
    if (cls) return { kind: 'class', cls };
    const fn = mod.functions.get(name);
    if (fn) return { kind: 'function', fn };
    const lock = mod.globalLocks.get(name);
    if (lock) return { kind: 'lock', def: lock, module: mod };
    const imp = this.imported(mod, name);
    if (!imp?.module) return undefined;
    if (imp.symbol === undefined) return { kind: 'module', module: imp.module };
    return this.lookup(imp.module, imp.symbol, depth + 1);
  }

  /** A class's base classes, resolved by name within the analyzed program. */
  basesOf(cls: ClassInfo): ClassInfo[] {
    if (!cls.bases) {
      cls.bases = [];
      const facts = cls.module.facts.classes.find((c) => c.qualname === cls.qualname);
      for (const b of facts?.bases ?? []) {
        const sym = this.symbolOfRef(b, { module: cls.module });
        if (sym?.kind === 'class' && sym.cls !== cls) cls.bases.push(sym.cls);
      }
    }
    return cls.bases;
  }

  /** Find a method or lock attribute along the class and its bases. */
  findInClass<T>(cls: ClassInfo, pick: (c: ClassInfo) => T | undefined, seen?: Set<ClassInfo>): T | undefined {
    if (seen) {
      if (seen.has(cls)) return undefined;
      seen.add(cls);
    }
    const own = pick(cls);
    if (own !== undefined) return own;
    const bases = this.basesOf(cls);
    if (!bases.length) return undefined;
    // The set of classes visited is made only once a class has bases (most have none).
    seen ??= new Set([cls]);
    for (const b of bases) {
      const found = this.findInClass(b, pick, seen);
      if (found !== undefined) return found;
    }
    return undefined;
  }

  /** Resolve a name or attribute chain to a module-level symbol. */
  symbolOfRef(ref: Ref, scope: Scope): Symbol | undefined {
    if (ref.kind === 'name') return this.localImport(scope, ref.name) ?? this.lookup(scope.module, ref.name);
    if (ref.kind !== 'attr') return undefined;
    const base = this.symbolOfRef(ref.base, scope);
    if (base?.kind === 'module') return this.lookup(base.module, ref.attr);
    if (base?.kind === 'class') {
      const method = this.findInClass(base.cls, (c) => c.methods.get(ref.attr));
      if (method) return { kind: 'function', fn: method };
      const attr = this.findInClass(base.cls, (c) => c.lockAttrs.get(ref.attr));
      if (attr) return { kind: 'lock', def: attr, module: base.cls.module };
    }
    return undefined;
  }

  /** The lock class a definition makes; a `Condition(lock)` is the lock it wraps. */
  lockClassOf(def: LockDefFact, module: ModuleInfo): LockClass | undefined {
    const known = this.lockOfDef.get(def);
    if (known !== undefined) return known ?? undefined;
    this.lockOfDef.set(def, null);
    let lock: LockClass | undefined;
    if (def.wraps) {
      const cls = def.target.scope === 'module' || def.target.scope === 'local' ? undefined
        : module.classes.get(def.target.className);
      const fnKey = def.target.scope === 'local' ? `${module.file}#${def.target.functionId}` : undefined;
      const fn = fnKey ? this.functions.get(fnKey) : undefined;
      const scope: Scope = { module, fn: fn ?? (cls ? pseudoMethod(cls) : undefined) };
      lock = this.resolveLock(def.wraps, scope)?.lock;
    }
    lock ??= this.newLockClass(def, module);
    this.lockOfDef.set(def, lock);
    return lock;
  }

  private newLockClass(def: LockDefFact, module: ModuleInfo): LockClass {
    // One lock wherever it is defined (a Web Locks name): the first definition made it.
    const shared = def.sharedAs && this.locks.get(`shared:${def.sharedAs.key}`);
    if (shared) return shared;
    const t = def.target;
    const owner = t.scope === 'module' ? '' : t.scope === 'local' ? `${t.functionId}.` : `${t.className}.`;
    const short = `${t.scope === 'class' || t.scope === 'instance' ? `${t.className.split('.').pop()}.` : ''}${t.name}`;
    const suffix = def.container ? '[]' : '';
    const reentrant = def.wraps ? true : isReentrant(def.kind) || !!def.counting;
    const lock: LockClass = {
      id: def.sharedAs ? `shared:${def.sharedAs.key}` : `${module.file}:${def.range.start.line + 1}:${def.range.start.character + 1}`,
      name: def.sharedAs?.name ?? `${module.name}.${owner}${t.name}${suffix}`,
      shortName: `${short}${suffix}`,
      kind: def.kind,
      reentrant,
      family: def.container || t.scope === 'instance',
      created: { file: module.file, range: def.range },
      ...(def.slots !== undefined ? { slots: def.slots } : {}),
    };
    const memberOf = def.keyOf && (def.sharedAs ? def.sharedAs.family : `${module.name}.${owner}${def.keyOf}[]`);
    if (memberOf) lock.memberOf = memberOf;
    this.locks.set(lock.id, lock);
    return lock;
  }

  /** Resolve a lock reference in a function (or module) scope. */
  resolveLock(ref: Ref, scope: Scope, depth = 0): ResolvedLock | undefined {
    if (depth > 6) return undefined;
    switch (ref.kind) {
      case 'name': return this.resolveName(ref.name, scope, depth);
      case 'attr': return this.resolveAttr(ref.base, ref.attr, scope, depth) ?? propertyLock(this, ref.base, ref.attr, scope, depth + 1);
      case 'call': return accessorCallLock(this, ref.callee, scope, depth + 1);
      case 'index': {
        const base = this.resolveLock(ref.base, scope, depth + 1);
        return base ? { lock: base.lock, inst: `${base.inst}[${ref.index}]` } : undefined;
      }
      default: return undefined;
    }
  }

  private resolveName(name: string, scope: Scope, depth: number): ResolvedLock | undefined {
    for (let fn = scope.fn; fn; fn = parentOf(fn)) {
      const local = fn.locals.get(name);
      if (local) return this.fromDef(local, fn.module, 'l');
      const alias = fn.aliases.get(name);
      if (alias) return this.resolveLock(alias, { module: fn.module, fn }, depth + 1);
      if (fn.fact.params.includes(name)) return undefined;
    }
    const sym = this.lookup(scope.module, name);
    return sym?.kind === 'lock' ? this.fromDef(sym.def, sym.module, 'g') : undefined;
  }

  private resolveAttr(base: Ref, attr: string, scope: Scope, depth: number): ResolvedLock | undefined {
    const fn = scope.fn;
    if (base.kind === 'name' && fn?.cls && (base.name === fn.selfName || base.name === 'cls')) {
      const def = this.findInClass(fn.cls, (c) => c.lockAttrs.get(attr));
      if (!def) return injectedLock(this, fn.cls, attr, depth);
      return this.fromDef(def, fn.cls.module, def.target.scope === 'instance' ? base.name : 'g');
    }
    const sym = this.symbolOfRef({ kind: 'attr', base, attr }, scope);
    if (sym?.kind === 'lock') return this.fromDef(sym.def, sym.module, sym.def.target.scope === 'instance' ? UNKNOWN_INSTANCE : 'g');
    if (sym) return undefined;
    const owner = this.classOfExpr(base, scope, depth + 1) ?? (this.isForeign(base, scope) ? undefined : this.uniqueOwner('lock', attr));
    const def = owner && this.findInClass(owner.cls, (c) => c.lockAttrs.get(attr));
    if (!owner || !def) return undefined;
    const resolved = this.fromDef(def, owner.cls.module, def.target.scope === 'instance' ? refText(base) : 'g');
    return resolved && (owner.byName ? { ...resolved, byName: true } : resolved);
  }

  /** The class of the instance an expression evaluates to, from annotations and constructor calls. */
  classOfExpr(ref: Ref, scope: Scope, depth = 0): TypedExpr | undefined {
    if (depth > 6) return undefined;
    if (ref.kind === 'call') {
      const sym = this.symbolOfRef(ref.callee, scope);
      return sym?.kind === 'class' ? { cls: sym.cls } : undefined;
    }
    if (ref.kind === 'name') {
      for (let fn = scope.fn; fn; fn = parentOf(fn)) {
        if (ref.name === fn.selfName && fn.cls) return { cls: fn.cls };
        const type = fn.fact.paramTypes?.[ref.name] ?? fn.localTypes.get(ref.name);
        if (type) return this.classOfType(type, fn.module);
        const alias = fn.aliases.get(ref.name);
        if (alias) return this.classOfExpr(alias, { module: fn.module, fn }, depth + 1);
      }
      const global = scope.module.globalTypes.get(ref.name);
      if (global) return this.classOfType(global, scope.module);
      const sym = this.lookup(scope.module, ref.name);
      return sym?.kind === 'class' ? { cls: sym.cls } : undefined;
    }
    if (ref.kind === 'attr') {
      const base = this.classOfExpr(ref.base, scope, depth + 1);
      if (base) {
        const found = this.findInClass(base.cls, (c) => {
          const t = c.attrTypes.get(ref.attr);
          return t ? this.classOfType(t, c.module) : injectedType(this, c, ref.attr, depth + 1);
        });
        return found && (base.byName ? { ...found, byName: true } : found);
      }
      const sym = this.symbolOfRef(ref, scope);
      return sym?.kind === 'class' ? { cls: sym.cls } : undefined;
    }
    return undefined;
  }

  /**
   * Whether the code says what an expression holds, and it is not an analyzed class: a stdlib
   * object (`OrderedDict()`, `queue.Queue()`, `{}`) or another library's. Such a receiver's
   * methods and attributes are never guessed by name.
   */
  isForeign(ref: Ref, scope: Scope): boolean {
    const declared = this.declaredType(ref, scope);
    if (!declared) return false;
    const sym = this.symbolOfRef(declared.type, { module: declared.module });
    return sym === undefined || sym.kind === 'module';
  }

  /** The constructor or annotation recorded for a name or `self.attr`, where it was recorded. */
  private declaredType(ref: Ref, scope: Scope): { type: Ref; module: ModuleInfo } | undefined {
    if (ref.kind === 'name') {
      for (let fn = scope.fn; fn; fn = parentOf(fn)) {
        const type = fn.fact.paramTypes?.[ref.name] ?? fn.localTypes.get(ref.name);
        if (type) return { type, module: fn.module };
        if (fn.fact.params.includes(ref.name) || fn.aliases.has(ref.name)) return undefined;
      }
      const global = scope.module.globalTypes.get(ref.name);
      return global ? { type: global, module: scope.module } : undefined;
    }
    const fn = scope.fn;
    if (ref.kind !== 'attr' || ref.base.kind !== 'name' || !fn?.cls || ref.base.name !== fn.selfName) return undefined;
    return this.findInClass(fn.cls, (c) => {
      const type = c.attrTypes.get(ref.attr);
      return type ? { type, module: c.module } : undefined;
    });
  }

  /**
   * Whether `taken` is reached from `held` through another object's back-pointer to the lock's
   * class (`self._pending[i].manager`, where Request.manager holds a Manager): it may well be the
   * held object itself, so it is not known to be another instance.
   */
  isBackReference(held: string, taken: string, lock: LockClass): boolean {
    if (!taken.startsWith(held) || !/^[.[]/.test(taken.slice(held.length))) return false;
    const attr = /\.(\w+)$/.exec(taken)?.[1];
    if (!attr) return false;
    const targets = [
      ...(this.typedAttrOwners().get(attr) ?? []).map((cls) => [cls, this.classOfType(cls.attrTypes.get(attr)!, cls.module)?.cls] as const),
      // `self.ipdb = ipdb` set from a constructor parameter that every caller fills (F9)
      ...(this.paramAttrOwners().get(attr) ?? []).map((cls) => [cls, injectedType(this, cls, attr, 0)?.cls] as const),
    ];
    for (const [cls, target] of targets) {
      if (!target || target === cls) continue;
      const def = this.findInClass(target, (c) => [...c.lockAttrs.values()].find((d) => this.lockOfDef.get(d) === lock));
      if (def) return true;
    }
    return false;
  }

  private paramOwners?: Map<string, ClassInfo[]>;

  /** Classes by the names of their attributes that `__init__` sets from a parameter. */
  private paramAttrOwners(): Map<string, ClassInfo[]> {
    if (!this.paramOwners) {
      this.paramOwners = new Map();
      for (const mod of this.modules.values()) {
        for (const cls of mod.classes.values()) {
          for (const a of Object.keys(cls.methods.get('__init__')?.fact.paramAttrs ?? {})) push(this.paramOwners, a, cls);
        }
      }
    }
    return this.paramOwners;
  }

  private attrOwners?: Map<string, ClassInfo[]>;

  /** Classes by the names of their attributes whose class is known. */
  private typedAttrOwners(): Map<string, ClassInfo[]> {
    if (!this.attrOwners) {
      this.attrOwners = new Map();
      for (const mod of this.modules.values()) {
        for (const cls of mod.classes.values()) for (const a of cls.attrTypes.keys()) push(this.attrOwners, a, cls);
      }
    }
    return this.attrOwners;
  }

  private classOfType(type: Ref, module: ModuleInfo): TypedExpr | undefined {
    const sym = this.symbolOfRef(type, { module });
    return sym?.kind === 'class' ? { cls: sym.cls } : undefined;
  }

  private owners?: { lock: Map<string, ClassInfo[]>; method: Map<string, ClassInfo[]> };

  /** The one analyzed class that defines a lock attribute or method of this name, if exactly one does. */
  uniqueOwner(what: 'lock' | 'method', name: string): TypedExpr | undefined {
    if (!this.owners) {
      this.owners = { lock: new Map(), method: new Map() };
      for (const mod of this.modules.values()) {
        for (const cls of mod.classes.values()) {
          for (const a of cls.lockAttrs.keys()) push(this.owners.lock, a, cls);
          for (const m of cls.methods.keys()) push(this.owners.method, m, cls);
        }
      }
    }
    const list = this.owners[what].get(name);
    return list?.length === 1 && !name.startsWith('__') ? { cls: list[0], byName: true } : undefined;
  }

  private fromDef(def: LockDefFact, module: ModuleInfo, inst: string): ResolvedLock | undefined {
    const lock = this.lockClassOf(def, module);
    return lock ? { lock, inst } : undefined;
  }

  /** The innermost function of a file whose range contains a line (else its module code). */
  enclosingFunction(file: string, line: number): FunctionInfo | undefined {
    const mod = this.modules.get(file);
    let best = mod?.byId.get(MODULE_FUNCTION);
    let size = Infinity;
    for (const f of mod?.facts.functions ?? []) {
      const s = f.range.end.line - f.range.start.line;
      if (f.range.start.line <= line && line <= f.range.end.line && s < size) {
        best = mod?.byId.get(f.id);
        size = s;
      }
    }
    return best;
  }

  /** Resolve a call's callee to a function, with how `self` maps into it. */
  resolveCall(ref: Ref, scope: Scope): { fn: FunctionInfo; receiver: string; byName?: boolean; exact?: ClassInfo[] } | undefined {
    const fn = scope.fn;
    if (ref.kind === 'name') {
      for (let f = fn; f; f = parentOf(f)) {
        if (!f.module.prefixes.has(f.fact.id)) continue;
        const nested = f.module.byId.get(`${f.fact.id}.${ref.name}`);
        if (nested) return { fn: nested, receiver: UNKNOWN_INSTANCE };
      }
    }
    if (ref.kind === 'attr' && ref.base.kind === 'name' && fn?.cls && ref.base.name === fn.selfName) {
      const m = this.findInClass(fn.cls, (c) => c.methods.get(ref.attr));
      return m ? { fn: m, receiver: fn.selfName } : undefined;
    }
    if (ref.kind === 'attr' && ref.base.kind === 'call' && ref.base.callee.kind === 'name'
      && ref.base.callee.name === 'super' && fn?.cls) {
      for (const b of this.basesOf(fn.cls)) {
        const m = this.findInClass(b, (c) => c.methods.get(ref.attr));
        if (m) return { fn: m, receiver: fn.selfName ?? UNKNOWN_INSTANCE };
      }
      return undefined;
    }
    const sym = this.symbolOfRef(ref, scope);
    if (sym?.kind === 'function') return { fn: sym.fn, receiver: UNKNOWN_INSTANCE };
    if (!sym) {
      const bound = boundMethodOf(this, ref, scope);
      if (bound) return bound;
    }
    if (sym?.kind === 'class') {
      const init = this.findInClass(sym.cls, (c) => c.methods.get('__init__'));
      return init ? { fn: init, receiver: UNKNOWN_INSTANCE, exact: [sym.cls] } : undefined;
    }
    if (sym || ref.kind !== 'attr') return undefined;
    const owner = this.classOfExpr(ref.base, scope)
      ?? (COMMON_METHODS.has(ref.attr) || this.isForeign(ref.base, scope) ? undefined : this.uniqueOwner('method', ref.attr));
    const m = owner && this.findInClass(owner.cls, (c) => c.methods.get(ref.attr));
    if (!owner || !m) return undefined;
    return { fn: m, receiver: refText(ref.base), byName: owner.byName };
  }
}

/**
 * A call of a module-level name bound to an object's method (`ensure_running =
 * _resource_tracker.ensure_running`), called as `ensure_running()` or `resource_tracker.ensure_running()`:
 * that method, on the module's object.
 */
function boundMethodOf(symbols: Symbols, ref: Ref, scope: Scope): { fn: FunctionInfo; receiver: string } | undefined {
  let mod = scope.module;
  let name: string;
  if (ref.kind === 'name') {
    const fn = scope.fn;
    if (fn && (fn.fact.params.includes(ref.name) || fn.aliases.has(ref.name) || fn.localTypes.has(ref.name))) return undefined;
    name = ref.name;
  } else if (ref.kind === 'attr') {
    const base = symbols.symbolOfRef(ref.base, scope);
    if (base?.kind !== 'module') return undefined;
    mod = base.module;
    name = ref.attr;
  } else return undefined;
  if (ref.kind === 'name' && !mod.byId.get(MODULE_FUNCTION)?.aliases.has(name)) {
    const from = symbols.importedSymbol(mod, name);
    if (!from) return undefined;
    mod = from.module;
    name = from.symbol;
  }
  const top = mod.byId.get(MODULE_FUNCTION);
  const value = top?.aliases.get(name);
  if (!top || value?.kind !== 'attr' || value.base.kind !== 'name') return undefined;
  const owner = symbols.classOfExpr(value.base, { module: mod, fn: top });
  const m = owner && !owner.byName ? symbols.findInClass(owner.cls, (c) => c.methods.get(value.attr)) : undefined;
  return m && { fn: m, receiver: `${mod.name}.${value.base.name}` };
}

/** What a name means at module level. */
export type Symbol =
  | { kind: 'module'; module: ModuleInfo }
  | { kind: 'class'; cls: ClassInfo }
  | { kind: 'function'; fn: FunctionInfo }
  | { kind: 'lock'; def: LockDefFact; module: ModuleInfo };

/** Method names too generic to resolve by name alone (containers, files, threads, queues). */
export const COMMON_METHODS = new Set([
  'get', 'put', 'set', 'add', 'pop', 'clear', 'copy', 'update', 'append', 'extend', 'remove', 'items', 'keys',
  'values', 'close', 'open', 'read', 'write', 'flush', 'send', 'recv', 'run', 'start', 'stop', 'join', 'wait',
  'notify', 'notify_all', 'acquire', 'release', 'result', 'submit', 'cancel', 'done', 'reset', 'format', 'emit',
  'handle', 'sort', 'index', 'count', 'insert', 'discard', 'encode', 'decode', 'split', 'strip', 'lower', 'upper',
  'replace', 'startswith', 'endswith', 'setdefault', 'shutdown', 'connect', 'fileno', 'readline', 'seek', 'tell',
  // dicts, deques, queues, selectors, sockets, files, processes and loggers
  'popitem', 'popleft', 'appendleft', 'move_to_end', 'get_nowait', 'put_nowait', 'task_done', 'qsize', 'empty',
  'full', 'select', 'register', 'unregister', 'modify', 'sendall', 'sendto', 'recvfrom', 'recv_into', 'accept',
  'bind', 'listen', 'settimeout', 'setblocking', 'makefile', 'readlines', 'writelines', 'truncate', 'poll',
  'is_set', 'terminate', 'kill', 'debug', 'info', 'warning', 'error', 'exception', 'critical', 'log',
]);

/** Record what a name holds; a class type (constructor, annotation) wins over a plain one (`{}`, `f()`). */
function setType(map: Map<string, Ref> | undefined, t: TypeFact): void {
  if (!map || (t.plain && map.has(t.name))) return;
  map.set(t.name, t.type);
}

function setLocalType(fn: FunctionInfo | undefined, t: TypeFact): void {
  if (fn && fn.localTypes === NO_ENTRIES) fn.localTypes = new Map();
  setType(fn?.localTypes, t);
}

function setAlias(fn: FunctionInfo | undefined, name: string, value: Ref): void {
  if (!fn) return;
  if (fn.aliases === NO_ENTRIES) fn.aliases = new Map();
  fn.aliases.set(name, value);
}

/** A table that stays empty: most functions have no local locks, aliases or local types (one shared map, not three each). */
class EmptyTable extends Map<string, never> {
  override set(): this {
    throw new Error('a function\'s shared empty table written');
  }
}

const NO_ENTRIES: Map<string, never> = new EmptyTable();

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/**
 * `file#id`, as one flat string: keys of many maps, which V8 hashes and compares faster than
 * the rope a template literal makes.
 */
function flatKey(file: string, id: string): string {
  return [file, '#', id].join('');
}

function parentOf(fn: FunctionInfo): FunctionInfo | undefined {
  return fn.fact.parent ? fn.module.byId.get(fn.fact.parent) : undefined;
}

/** A stand-in method of a class, to resolve `self.x` in class-level definitions. */
function pseudoMethod(cls: ClassInfo): FunctionInfo {
  const any = cls.methods.values().next().value as FunctionInfo | undefined;
  return any ?? {
    key: `${cls.key}#<class>`, module: cls.module, cls, selfName: 'self', locals: new Map(), aliases: new Map(),
    localTypes: new Map(),
    fact: {
      id: '<class>', qualname: cls.qualname, name: '<class>', params: ['self'],
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      nameRange: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    },
  };
}
