// The registry of language front ends: the only file outside `python/` and `typescript/` that
// imports either folder (test/frontend-boundary.test.mjs checks it). The rest of the engine
// asks here which front end reads a file.

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { requireWithCodeCache } from '../shared/codeCache';
import type { FrontEnd, FrontEndClaim } from './frontEnd';
import { pythonFrontEnd, initParser, isShortRun, parserDescription } from './python/index';
import { typescriptClaim } from './typescript/claims';

export { initParser, isShortRun, parserDescription };

/** A front end known by its claim, loaded on first use. */
interface Registered {
  claim: FrontEndClaim;
  load: () => FrontEnd;
}

/**
 * Every front end but the default one (Python), in the order they are asked. The TypeScript
 * front end (ts-morph and the TypeScript compiler, megabytes of code) is required only when a
 * TS/JS file is present; the build makes `./typescript/index` a bundle of its own
 * (dist/tsFrontEnd.js) that this `require` loads.
 */
const registered: Registered[] = [
  { claim: typescriptClaim, load: () => loadTypeScript().typescriptFrontEnd },
];

/** The TypeScript front end's bundle, through V8's code cache when it sits beside this one (shared/codeCache.ts). */
function loadTypeScript(): typeof import('./typescript/index') {
  const bundle = join(__dirname, 'tsFrontEnd.js');
  if (existsSync(bundle)) return requireWithCodeCache(bundle) as typeof import('./typescript/index');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('./typescript/index') as typeof import('./typescript/index');
}

const loaded = new Map<Registered, FrontEnd>();

/** The front end of a file: the first that claims it, else Python (the engine's default language). */
export function frontEndFor(path: string): FrontEnd {
  for (const r of registered) {
    if (!r.claim.claims(path)) continue;
    let fe = loaded.get(r);
    if (!fe) loaded.set(r, (fe = loadOrExplain(r)));
    return fe;
  }
  return pythonFrontEnd;
}

/** Load a front end; when it cannot be loaded, one that says why for each of its files (a file problem, not a crash). */
function loadOrExplain(r: Registered): FrontEnd {
  try {
    return r.load();
  } catch (err) {
    const why = `the ${r.claim.language} front end could not be loaded (${(err as Error).message.split('\n')[0]})`;
    const fail = (): never => { throw new Error(why); };
    return {
      ...r.claim, parallel: false, usesReads: false, load: async () => undefined, warmUp: () => undefined, walk: fail, rewalk: fail,
      prepareEdits: () => undefined, release: () => undefined, lockKindOf: () => undefined,
    };
  }
}

/** The default front end, which every project loads. */
export function defaultFrontEnd(): FrontEnd {
  return pythonFrontEnd;
}

/** The language of the front end that claims a file of this name (`python`, `typescript`), if one does. */
export function sourceLanguage(path: string): string | undefined {
  if (pythonFrontEnd.claims(path)) return pythonFrontEnd.language;
  return registered.find((r) => r.claim.claims(path))?.claim.language;
}

/** Whether some front end reads a file of this name (the CLI and the editor collect these). */
export function isSourceFile(path: string): boolean {
  return pythonFrontEnd.claims(path) || registered.some((r) => r.claim.claims(path));
}
