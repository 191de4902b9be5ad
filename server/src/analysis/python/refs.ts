// Turns Python expression nodes into symbolic `Ref`s, resolves dotted names through the
// file's imports, and knows which constructors make locks.

import type { Node } from 'web-tree-sitter';
import type { ImportFact, Ref } from '../events';
import type { LockKind } from '../types';
import type { Range } from '../types';
import { dottedRef, inCleanTree } from './lexical';

/** The range of a node, in LSP terms (tree-sitter columns are UTF-16 units for string input). */
export function rangeOf(node: Node): Range {
  const s = node.startPosition;
  const e = node.endPosition;
  return { start: { line: s.row, character: s.column }, end: { line: e.row, character: e.column } };
}

/** A symbolic reference for an expression node. */
export function refOf(node: Node): Ref {
  switch (node.type) {
    case 'identifier':
      return { kind: 'name', name: node.text };
    case 'attribute': {
      const fast = inCleanTree(node) ? dottedRef(node.text) : undefined;
      if (fast) return fast;
      const obj = node.childForFieldName('object');
      const attr = node.childForFieldName('attribute');
      if (obj && attr) return { kind: 'attr', base: refOf(obj), attr: attr.text };
      break;
    }
    case 'subscript': {
      const value = node.childForFieldName('value');
      const sub = node.childForFieldName('subscript');
      if (value) return { kind: 'index', base: refOf(value), index: sub ? sub.text : '' };
      break;
    }
    case 'call': {
      const fn = node.childForFieldName('function');
      if (fn) return { kind: 'call', callee: refOf(fn) };
      break;
    }
    case 'parenthesized_expression': {
      const inner = node.namedChild(0);
      if (inner) return refOf(inner);
      break;
    }
    case 'as_pattern': {
      const inner = node.namedChild(0);
      if (inner) return refOf(inner);
      break;
    }
  }
  return { kind: 'other', text: node.text };
}

/** The source-like text of a reference: `self._lock`, `locks[i]`. */
export function refText(ref: Ref): string {
  switch (ref.kind) {
    case 'name': return ref.name;
    case 'attr': return `${refText(ref.base)}.${ref.attr}`;
    case 'index': return `${refText(ref.base)}[${ref.index}]`;
    case 'call': return `${refText(ref.callee)}()`;
    case 'other': return ref.text;
  }
}

/** The dotted name a reference stands for after resolving the file's imports, if any. */
export function dottedName(ref: Ref, imports: Map<string, ImportFact>): string | undefined {
  if (ref.kind === 'name') {
    const imp = imports.get(ref.name);
    if (!imp) return ref.name;
    const mod = '.'.repeat(imp.level) + imp.module;
    return imp.name ? (imp.module || imp.level ? `${mod}.${imp.name}` : imp.name) : mod;
  }
  if (ref.kind === 'attr') {
    const base = dottedName(ref.base, imports);
    return base === undefined ? undefined : `${base}.${ref.attr}`;
  }
  return undefined;
}

const LOCK_CONSTRUCTORS = new Map<string, LockKind>(Object.entries({
  'threading.Lock': 'Lock',
  'threading.RLock': 'RLock',
  'threading.Semaphore': 'Semaphore',
  'threading.BoundedSemaphore': 'BoundedSemaphore',
  'threading.Condition': 'Condition',
  'threading._allocate_lock': 'Lock',
  'threading._RLock': 'RLock',
  '_thread.allocate_lock': 'Lock',
  '_thread.allocate': 'Lock',
  '_thread.RLock': 'RLock',
  'multiprocessing.Lock': 'Lock',
  'multiprocessing.RLock': 'RLock',
  'multiprocessing.Semaphore': 'Semaphore',
  'multiprocessing.BoundedSemaphore': 'BoundedSemaphore',
  'multiprocessing.Condition': 'Condition',
  'multiprocessing.synchronize.Lock': 'Lock',
  'multiprocessing.synchronize.RLock': 'RLock',
  'multiprocessing.synchronize.Semaphore': 'Semaphore',
  'multiprocessing.synchronize.BoundedSemaphore': 'BoundedSemaphore',
  'multiprocessing.synchronize.Condition': 'Condition',
  'asyncio.Lock': 'asyncio.Lock',
  'asyncio.Semaphore': 'asyncio.Semaphore',
  'asyncio.BoundedSemaphore': 'asyncio.Semaphore',
  'asyncio.Condition': 'asyncio.Condition',
  'asyncio.locks.Lock': 'asyncio.Lock',
  'asyncio.locks.Semaphore': 'asyncio.Semaphore',
  'asyncio.locks.Condition': 'asyncio.Condition',
} as Record<string, LockKind>));

/** The lock kind a constructor's dotted name makes, if it makes a lock. */
export function lockKindOf(dotted: string | undefined): LockKind | undefined {
  return dotted === undefined ? undefined : LOCK_CONSTRUCTORS.get(dotted);
}

/** Whether a kind of lock may be re-acquired by the thread holding it. */
export function isReentrant(kind: LockKind): boolean {
  return kind === 'RLock' || kind === 'Condition' || kind === 'unknown';
}
