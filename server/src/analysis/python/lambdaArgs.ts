// Callbacks written as lambdas: `weakref.ref(obj, lambda r: self._drop(r))` registers code that
// calls `self._drop`. For calls that register callbacks, a lambda argument whose body is a call
// stands for the function it calls, so the callback's entry point is known.

import type { Node } from './syntax';
import type { Ref } from '../events';
import { refOf } from './refs';

/** Last names of the calls that register callbacks (`weakref.ref`, `weakref.finalize`, `signal.signal`...). */
const REGISTRARS = new Set(['ref', 'finalize', 'WeakMethod', 'Finalize', 'signal']);

/** The positional arguments, with each lambda `lambda ...: f(...)` replaced by `f`, for registering calls. */
export function withLambdaTargets(call: Node, callee: Ref, args: Ref[]): Ref[] {
  const last = callee.kind === 'attr' ? callee.attr : callee.kind === 'name' ? callee.name : '';
  if (!REGISTRARS.has(last)) return args;
  const positional = (call.childForFieldName('arguments')?.namedChildren ?? [])
    .filter((a): a is Node => !!a && a.type !== 'keyword_argument');
  if (!positional.some((a) => a.type === 'lambda')) return args;
  return args.map((arg, i) => {
    const node = positional[i];
    const body = node?.type === 'lambda' ? node.childForFieldName('body') : undefined;
    const fn = body?.type === 'call' ? body.childForFieldName('function') : undefined;
    return fn && (fn.type === 'identifier' || fn.type === 'attribute') ? refOf(fn) : arg;
  });
}
