// Function and class definitions: each opens a scope of the walk and gets its fact (names,
// parameters, decorators, annotated parameter types, bases). Simple parameter lists are read
// from their text; every node read crosses into the parser.

import type { Node } from './syntax';
import type { Ref } from '../events';
import { rangeOf, refOfType } from './refs';
import type { WalkState } from './walkState';
import { inCleanTree, lexicalParamNames } from './lexical';
import { decoratorsOf, paramTypesOf } from './typeHints';

/** Open a function definition's scope and record its fact. */
export function openFunction(st: WalkState, node: Node): void {
  const clean = inCleanTree(node);
  const nameNode = node.childForFieldName('name');
  const name = nameNode?.text ?? '<anonymous>';
  const outer = st.scope();
  const qualname = outer ? `${outer.qualname}.${name}` : name;
  const paramList = node.childForFieldName('parameters');
  const paramText = paramList?.text;
  const params = (clean && paramText !== undefined && lexicalParamNames(paramText)) || paramNames(paramList);
  const className = outer?.kind === 'class' ? outer.qualname : undefined;
  let id = qualname;
  if (st.functionIds.has(id)) id = `${qualname}@${node.startPosition.row + 1}`;
  st.functionIds.add(id);
  const parent = outer?.kind === 'function' ? outer.id : undefined;
  const up = node.parent;
  const decorated = up?.type === 'decorated_definition' ? up : undefined;
  const isStatic = !!decorated && hasDecorator(decorated, 'staticmethod');
  const selfName = className && !isStatic ? params[0] : outer?.selfName;
  st.facts.functions.push({
    id, qualname, name, className, parent, params, range: rangeOf(node), nameRange: nameRange(nameNode, name, clean) ?? rangeOf(node),
    paramTypes: paramTypesOf(paramList, paramText), decorators: decorated && decoratorsOf(decorated), isAsync: isAsync(st, node, clean),
  });
  st.functionNodes.set(id, node);
  const types = st.facts.functions[st.facts.functions.length - 1].paramTypes;
  if (types) st.paramTypes.set(id, types);
  st.scopes.push({ kind: 'function', id, qualname, end: node.endIndex, className: className ?? outer?.className, selfName });
}

/** A definition's name range: an identifier is one line, so it ends its length after its start. */
function nameRange(nameNode: Node | null, name: string, clean: boolean): ReturnType<typeof rangeOf> | undefined {
  if (!nameNode) return undefined;
  if (!clean) return rangeOf(nameNode);
  const s = nameNode.startPosition;
  return { start: { line: s.row, character: s.column }, end: { line: s.row, character: s.column + name.length } };
}

/** `async def` (or `async with`): in a clean tree, the statement's text starts with `async`. */
export function isAsync(st: WalkState, node: Node, clean: boolean): boolean {
  if (clean && st.text !== undefined) return st.text.startsWith('async', node.startIndex);
  return node.child(0)?.type === 'async';
}

function hasDecorator(decorated: Node, name: string): boolean {
  return decorated.namedChildren.some((d) => d?.type === 'decorator' && d.text.replace(/^@/, '').trim() === name);
}

function paramNames(params: Node | null): string[] {
  if (!params) return [];
  const names: string[] = [];
  for (const p of params.namedChildren) {
    if (!p) continue;
    const id = p.type === 'identifier' ? p : (p.childForFieldName('name') ?? p.namedChild(0));
    if (id?.type === 'identifier') names.push(id.text);
  }
  return names;
}

/** Open a class definition's scope and record its fact. */
export function openClass(st: WalkState, node: Node): void {
  const name = node.childForFieldName('name')?.text ?? '<anonymous>';
  const outer = st.scope();
  const qualname = outer ? `${outer.qualname}.${name}` : name;
  const supers = node.childForFieldName('superclasses');
  const bases: Ref[] = [];
  if (supers) {
    for (const b of supers.namedChildren) {
      const type = b?.type;
      if (b && type !== 'keyword_argument') bases.push(refOfType(b, type!));
    }
  }
  st.facts.classes.push({ qualname, name, bases, range: rangeOf(node) });
  st.scopes.push({ kind: 'class', id: qualname, qualname, end: node.endIndex, className: qualname });
}
