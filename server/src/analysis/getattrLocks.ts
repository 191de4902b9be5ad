// `getattr(self, name)` naming a lock: a decorator like `@with_lock('_state_lock')` whose wrapper
// runs `with getattr(self, name):` takes the attribute the decorator's string argument names.

import type { AcquireFact, Ref } from './events';
import type { ModuleInfo } from './symbols';

const STRING = /^[rRuU]?(['"])([A-Za-z_][A-Za-z0-9_]*)\1$/;

/**
 * The reference `getattr(obj, name)` reads in an acquisition, as `obj.attr`, when the name is a
 * string literal or a parameter that `param` maps to one; undefined for anything else.
 */
export function getattrRef(module: ModuleInfo, fact: AcquireFact, param: (name: string) => Ref | undefined): Ref | undefined {
  const ref = fact.lock;
  if (ref.kind !== 'call' || ref.callee.kind !== 'name' || ref.callee.name !== 'getattr') return undefined;
  const call = module.facts.calls.find((c) => c.functionId === fact.functionId
    && c.range.start.line === fact.range.start.line && c.range.start.character === fact.range.start.character);
  const [obj, name] = call?.args ?? [];
  if (!obj || !name || call?.keywords?.length) return undefined;
  const literal = name.kind === 'name' ? param(name.name) : name;
  const attr = literal?.kind === 'other' ? STRING.exec(literal.text)?.[2] : undefined;
  return attr ? { kind: 'attr', base: obj, attr } : undefined;
}
