// Fixes at a lock's definition, shared by the rules about re-entry (LO102, LO107).

import type { Program } from '../program';
import { defOf } from '../queries';
import type { Fix, TextEdit } from '../types';
import { insertLine, lockName } from './describe';

/** Change the lock's constructor to `RLock`, adding an import when needed. */
export function rlockFix(program: Program, lockId: string): Fix | undefined {
  const found = defOf(program, lockId);
  if (!found || found.def.kind !== 'Lock') return undefined;
  const { def, module } = found;
  const file = module.file;
  const edits: TextEdit[] = [];
  const dotted = def.calleeText.split('.');
  if (dotted.length > 1 && dotted[0] !== '_thread') {
    edits.push({ file, range: def.calleeRange, newText: [...dotted.slice(0, -1), 'RLock'].join('.') });
  } else {
    const threading = module.facts.imports.find((i) => i.module === 'threading' && i.name === undefined);
    const rlock = module.facts.imports.find((i) => i.module === 'threading' && i.name === 'RLock');
    const callee = rlock ? rlock.local : threading ? `${threading.local}.RLock` : 'RLock';
    edits.push({ file, range: def.calleeRange, newText: callee });
    if (!rlock && !threading) edits.push(insertLine(file, module.facts.importInsertLine, 'from threading import RLock'));
  }
  const explicit = program.explicitAcquires.some((a) => a.lock.id === lockId);
  const title = `Make ${lockName({ lock: program.symbols.locks.get(lockId)!, inst: 'g' } as never)} an RLock`
    + (explicit ? ' (unsafe: it is also released explicitly, maybe by another thread)' : '');
  return { title, safe: !explicit, edits };
}

