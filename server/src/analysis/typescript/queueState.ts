// The state field of a hand-rolled queue lock (queueLocks.ts): the counter of permits, the busy
// flag, or the count of holders that a taking method tests and changes, and that a releasing
// method changes back. What a method writes to `this.…` fields, and how that takes or gives back.

import { Node, SyntaxKind, type MethodDeclaration } from 'ts-morph';

/** The field that says whether a queue lock may be taken, and how taking it changes the field. */
export interface QueueState {
  field: string;
  /** `flag`: set to true when taken; `permits`: counted down; `count`: holders counted up, against `limit`. */
  how: 'flag' | 'permits' | 'count';
  /** For `count`: the number or field the holders are compared with. */
  limit?: { literal: number } | { field: string };
}

/** `this.name`: the name. */
export function thisField(node: Node | undefined): string | undefined {
  return node && Node.isPropertyAccessExpression(node) && node.getExpression().getKind() === SyntaxKind.ThisKeyword ? node.getName() : undefined;
}

/** The state field (not the queue) a method both tests (in an `if`, a loop or a `?:`) and changes as a taker does. */
export function stateOf(method: MethodDeclaration, queue: string): QueueState | undefined {
  const tested = conditions(method);
  for (const w of fieldWrites(method)) {
    if (w.field === queue || !w.how || !tested.some((c) => reads(c, w.field))) continue;
    if (w.how !== 'count') return { field: w.field, how: w.how };
    const limit = tested.map((c) => limitOf(c, w.field)).find((l) => l);
    return { field: w.field, how: 'count', limit };
  }
  return undefined;
}

/** The conditions of a method's `if`s, loops and `?:`s. */
function conditions(method: MethodDeclaration): Node[] {
  const out: Node[] = [];
  method.forEachDescendant((d) => {
    if (Node.isIfStatement(d) || Node.isWhileStatement(d) || Node.isDoStatement(d)) out.push(d.getExpression());
    else if (Node.isConditionalExpression(d)) out.push(d.getCondition());
  });
  return out;
}

function reads(cond: Node, field: string): boolean {
  return thisField(cond) === field || cond.getDescendantsOfKind(SyntaxKind.PropertyAccessExpression).some((p) => thisField(p) === field);
}

/** In `this.active >= this.capacity` (or `< 4`): what the field is compared with. */
function limitOf(cond: Node, field: string): QueueState['limit'] {
  const bins = Node.isBinaryExpression(cond) ? [cond, ...cond.getDescendantsOfKind(SyntaxKind.BinaryExpression)] : cond.getDescendantsOfKind(SyntaxKind.BinaryExpression);
  for (const b of bins) {
    if (!/^(?:<|<=|>|>=|===|==)$/.test(b.getOperatorToken().getText())) continue;
    const other = thisField(b.getLeft()) === field ? b.getRight() : thisField(b.getRight()) === field ? b.getLeft() : undefined;
    if (other && Node.isNumericLiteral(other)) return { literal: Number(other.getLiteralValue()) };
    const f = thisField(other);
    if (f) return { field: f };
  }
  return undefined;
}

/** A write of a field: how taking changes it (`how`), and whether it gives back (`+`, `-`, `false`). */
interface FieldWrite {
  field: string;
  how?: QueueState['how'];
  gives?: QueueState['how'];
}

/** The fields a method assigns or counts, and how: in its own body and the promise executors it runs at once, not in other nested functions. */
function fieldWrites(method: MethodDeclaration): FieldWrite[] {
  const out: FieldWrite[] = [];
  method.forEachDescendant((d, walk) => {
    if ((Node.isArrowFunction(d) || Node.isFunctionExpression(d)) && !isPromiseExecutor(d)) return walk.skip();
    if (Node.isBinaryExpression(d)) {
      const field = thisField(d.getLeft());
      const op = d.getOperatorToken().getText();
      const right = d.getRight().getKind();
      if (!field || (op !== '=' && op !== '+=' && op !== '-=')) return undefined;
      if (op === '-=') out.push({ field, how: 'permits', gives: 'count' });
      else if (op === '+=') out.push({ field, how: 'count', gives: 'permits' });
      else out.push({ field, how: right === SyntaxKind.TrueKeyword ? 'flag' : undefined, gives: right === SyntaxKind.FalseKeyword ? 'flag' : undefined });
    } else if (Node.isPrefixUnaryExpression(d) || Node.isPostfixUnaryExpression(d)) {
      const field = thisField(d.getOperand());
      const up = d.getOperatorToken() === SyntaxKind.PlusPlusToken;
      if (field) out.push({ field, how: up ? 'count' : 'permits', gives: up ? 'permits' : 'count' });
    }
    return undefined;
  });
  return out;
}

/** Whether a method gives back what taking `state` does: a permit back, the flag cleared, a holder counted out. */
export function givesBack(method: MethodDeclaration, state: QueueState): boolean {
  return fieldWrites(method).some((w) => w.field === state.field && w.gives === state.how);
}

function isPromiseExecutor(fn: Node): boolean {
  const p = fn.getParent();
  return !!p && Node.isNewExpression(p) && p.getExpression().getText() === 'Promise';
}
