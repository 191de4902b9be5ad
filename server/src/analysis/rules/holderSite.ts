// Where LO101 names the held lock of an edge taken: its own acquisition, or, when one `with`
// would be named as two locks' sites, the call that binds the parameters to those locks.

import type { OrderEdge, Program } from '../program';
import type { Location, RelatedSite } from '../types';
import { lockName } from './describe';

/**
 * Where the held lock of an edge is taken. One `with` is never named as two locks' sites: when
 * the same code takes both (a function whose parameters are bound to different locks), the
 * call that binds them is named instead.
 */
export function holderSite(program: Program, e: OrderEdge, named: RelatedSite[]): RelatedSite {
  const site = { location: e.from.site, message: `${lockName(e.from)} acquired here, in ${program.where(e.fn)}` };
  const at = e.to.boundAt;
  if (!at || !named.some((r) => sameStart(r.location, e.from.site))) return site;
  return { location: at, message: `${lockName(e.from)} acquired in ${program.where(e.fn)}, called here with its arguments` };
}

/** Whether two locations start at the same place. */
function sameStart(a: Location, b: Location): boolean {
  return a.file === b.file && a.range.start.line === b.range.start.line && a.range.start.character === b.range.start.character;
}
