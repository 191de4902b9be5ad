// Locals confined to one call (F8 of docs/realcode-findings.md): `a = SerializableLock()` taken
// with `with a:` is new in this call; if no use of `a` can hand it to other code, no other
// thread can ever take it, so nesting two such locals orders nothing. A use is harmless when it
// takes or releases the lock (`with a:`, `a.acquire()`), compares or tests it, or passes it to a
// stdlib function that keeps nothing (`print`, `repr`, `len`, ...). `pickle.dumps`/`loads` and
// `copy` give a value that may share the lock, so that value must be confined in turn, as must a
// local it is assigned to and the variable of a `for` over a literal list holding it. Anything
// else (stored, returned, passed on, captured by a nested function) lets it escape.

import { descendantsOfType, type Node } from './syntax';
import { MODULE_FUNCTION, type AcquireFact, type FunctionFact } from '../events';
import { dottedName, refOf } from './refs';
import { constructedClass } from './typeHints';
import type { WalkState } from './walkState';

/** Stdlib functions whose result holds nothing of their arguments. */
const KEEPS_NOTHING = new Set(['print', 'repr', 'str', 'len', 'id', 'hash', 'isinstance', 'type', 'bool', 'format', 'pickle.dump']);
/** Stdlib functions whose result may share what their argument holds (a pickled wrapper can find its lock again). */
const PASSES_ON = new Set(['pickle.dumps', 'pickle.loads', 'copy.copy', 'copy.deepcopy']);
const LOCK_METHODS = new Set(['acquire', 'release', 'locked']);
const NESTED_SCOPES = new Set(['function_definition', 'lambda', 'class_definition', 'list_comprehension',
  'dictionary_comprehension', 'set_comprehension', 'generator_expression']);

/** After an acquisition through a plain local name: record on its function whether that local is confined. */
export function noteConfinedLocal(st: WalkState, fact: AcquireFact): void {
  if (fact.lock.kind !== 'name' || fact.functionId === MODULE_FUNCTION) return;
  const name = fact.lock.name;
  const key = `${fact.functionId}\n${name}`;
  if (st.confinedChecked.has(key)) return;
  st.confinedChecked.add(key);
  const fn = functionFact(st, fact.functionId);
  const body = st.functionNodes.get(fact.functionId)?.childForFieldName('body');
  if (!fn || !body || fn.params.includes(name)) return;
  if (isConfined(st, body, name)) (fn.confined ??= []).push(name);
}

function functionFact(st: WalkState, id: string): FunctionFact | undefined {
  const fns = st.facts.functions;
  for (let i = fns.length - 1; i >= 0; i--) if (fns[i].id === id) return fns[i];
  return undefined;
}

/** Bound once, by a constructor call, and every other use harmless. */
function isConfined(st: WalkState, body: Node, name: string): boolean {
  const uses = occurrences(body, name);
  if (!uses) return false;
  const bindings = uses.filter(isBinding);
  if (bindings.length !== 1) return false;
  const asg = bindings[0].parent;
  if (asg?.type !== 'assignment' || !constructedClass(asg.childForFieldName('right'))) return false;
  const seen = new Set<string>([name]);
  return uses.every((u) => isBinding(u) || staysHere(st, body, u, seen));
}

/** The identifiers naming `name` in a body; undefined when a nested scope names it (a closure may run elsewhere). */
function occurrences(body: Node, name: string): Node[] | undefined {
  const out: Node[] = [];
  for (const id of descendantsOfType(body, 'identifier')) {
    if (id.text !== name) continue;
    const p = id.parent;
    if (p?.type === 'attribute' && p.childForFieldName('attribute')?.id === id.id) continue;
    if (p?.type === 'keyword_argument' && p.childForFieldName('name')?.id === id.id) continue;
    for (let a = p; a && a.id !== body.id; a = a.parent) if (NESTED_SCOPES.has(a.type)) return undefined;
    out.push(id);
  }
  return out;
}

/** `name = ...` or `for name in ...`: the identifier is what is bound. */
function isBinding(id: Node): boolean {
  const p = id.parent;
  return (p?.type === 'assignment' || p?.type === 'for_statement') && p.childForFieldName('left')?.id === id.id;
}

/** Whether the value of expression `e` (holding the confined object) cannot leave this call from where it is. */
function staysHere(st: WalkState, body: Node, e: Node, seen: Set<string>): boolean {
  const p = e.parent;
  if (!p) return false;
  switch (p.type) {
    case 'with_item': case 'comparison_operator': case 'not_operator': case 'expression_statement': case 'assert_statement':
      return true;
    case 'parenthesized_expression':
      return staysHere(st, body, p, seen);
    case 'attribute':
      return LOCK_METHODS.has(p.childForFieldName('attribute')?.text ?? '') && p.parent?.type === 'call'
        && p.parent.childForFieldName('function')?.id === p.id;
    case 'argument_list':
      return argumentStays(st, body, p.parent, seen);
    case 'assignment':
      return p.childForFieldName('right')?.id === e.id && boundNameStays(st, body, p.childForFieldName('left'), seen);
    case 'list': case 'tuple': case 'set': case 'expression_list':
      return p.parent?.type === 'for_statement' && p.parent.childForFieldName('right')?.id === p.id
        && boundNameStays(st, body, p.parent.childForFieldName('left'), seen);
    default:
      return false;
  }
}

/** A positional argument of a stdlib call that keeps nothing, or passes it on to a value that stays here. */
function argumentStays(st: WalkState, body: Node, call: Node | null, seen: Set<string>): boolean {
  const callee = call?.type === 'call' ? call.childForFieldName('function') : null;
  const name = callee ? dottedName(refOf(callee), st.imports) : undefined;
  if (!call || !name) return false;
  if (KEEPS_NOTHING.has(name)) return true;
  return PASSES_ON.has(name) && staysHere(st, body, call, seen);
}

/** A plain local bound to the value: every use of it must stay here too. */
function boundNameStays(st: WalkState, body: Node, left: Node | null, seen: Set<string>): boolean {
  if (left?.type !== 'identifier') return false;
  if (seen.has(left.text)) return true;
  seen.add(left.text);
  const uses = occurrences(body, left.text);
  return !!uses && uses.every((u) => isBinding(u) || staysHere(st, body, u, seen));
}
