// Reads what the Python source says about types: parameter annotations, decorators, and the
// class an assignment stores (`self.db = Database()`), for resolving `obj.attr` and `obj.m()`.

import type { Node } from 'web-tree-sitter';
import type { Ref } from '../events';
import { refOf } from './refs';

/** The class an annotation names, if it names one: `X`, `mod.X`, `Optional[X]`, `"X"`. */
export function annotationRef(type: Node | null): Ref | undefined {
  let n = type;
  while (n && n.type === 'type') n = n.namedChild(0);
  if (!n) return undefined;
  if (n.type === 'identifier' || n.type === 'attribute') return refOf(n);
  if (n.type === 'string') {
    const text = n.text.replace(/^['"]+|['"]+$/g, '');
    if (!/^[A-Za-z_][\w.]*$/.test(text)) return undefined;
    const parts = text.split('.');
    let ref: Ref = { kind: 'name', name: parts[0] };
    for (const p of parts.slice(1)) ref = { kind: 'attr', base: ref, attr: p };
    return ref;
  }
  if (n.type === 'generic_type') {
    const head = n.namedChild(0)?.text;
    if (head !== 'Optional' && head !== 'typing.Optional') return undefined;
    const param = n.namedChildren.find((c) => c?.type === 'type_parameter');
    return annotationRef(param?.namedChild(0) ?? null);
  }
  return undefined;
}

/** Parameter name → annotated class, for a function definition. */
export function paramTypes(fn: Node): Record<string, Ref> | undefined {
  const params = fn.childForFieldName('parameters');
  let out: Record<string, Ref> | undefined;
  for (const p of params?.namedChildren ?? []) {
    if (!p || (p.type !== 'typed_parameter' && p.type !== 'typed_default_parameter')) continue;
    const name = (p.childForFieldName('name') ?? p.namedChild(0))?.text;
    const ref = annotationRef(p.childForFieldName('type'));
    if (name && ref) (out ??= {})[name] = ref;
  }
  return out;
}

/** The decorators of a function definition, with call arguments. */
export function decoratorsOf(fn: Node): { ref: Ref; args: Ref[] }[] | undefined {
  const parent = fn.parent;
  if (parent?.type !== 'decorated_definition') return undefined;
  const out: { ref: Ref; args: Ref[] }[] = [];
  for (const d of parent.namedChildren) {
    if (d?.type !== 'decorator') continue;
    const expr = d.namedChild(0);
    if (!expr) continue;
    if (expr.type === 'call') {
      const callee = expr.childForFieldName('function');
      const args = expr.childForFieldName('arguments')?.namedChildren ?? [];
      if (callee) out.push({ ref: refOf(callee), args: args.filter((a): a is Node => !!a && a.type !== 'keyword_argument').map(refOf) });
    } else out.push({ ref: refOf(expr), args: [] });
  }
  return out;
}

/** The class an assigned value is an instance of, when it is a constructor-like call. */
export function constructedClass(value: Node | null): Ref | undefined {
  if (value?.type !== 'call') return undefined;
  const callee = value.childForFieldName('function');
  if (!callee || (callee.type !== 'identifier' && callee.type !== 'attribute')) return undefined;
  const last = callee.type === 'identifier' ? callee.text : callee.childForFieldName('attribute')?.text ?? '';
  return /^[A-Z]/.test(last) ? refOf(callee) : undefined;
}
