// Turns Python expression nodes into symbolic `Ref`s, resolves dotted names through the
// file's imports, and knows which constructors make locks.

import type { Node } from './syntax';
import type { Ref } from '../events';
import type { LockKind } from '../types';
import type { Range } from '../types';
import { dottedRef, inCleanTree } from './lexical';

export { dottedName, refText } from '../refText';
export { isReentrant } from '../lockKinds';

/** The range of a node, in LSP terms (tree-sitter columns are UTF-16 units for string input). */
export function rangeOf(node: Node): Range {
  const s = node.startPosition;
  const e = node.endPosition;
  return { start: { line: s.row, character: s.column }, end: { line: e.row, character: e.column } };
}

/**
 * `rangeOf` a node whose text is at hand: its end follows from its start and its text (rows
 * end at `\n`, columns count UTF-16 units), without asking the parser.
 */
export function rangeOfText(node: Node, text: string): Range {
  const s = node.startPosition;
  const last = text.lastIndexOf('\n');
  if (last < 0) return { start: { line: s.row, character: s.column }, end: { line: s.row, character: s.column + text.length } };
  let lines = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lines++;
  return { start: { line: s.row, character: s.column }, end: { line: s.row + lines, character: text.length - last - 1 } };
}

/** A symbolic reference for an expression node. */
export function refOf(node: Node): Ref {
  return refOfType(node, node.type);
}

/** `refOf` a node whose type the caller already read. */
export function refOfType(node: Node, type: string): Ref {
  switch (type) {
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
