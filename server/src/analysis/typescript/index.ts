// The TypeScript/JavaScript front end as the engine sees it (frontEnd.ts). It keeps one
// ts-morph project: every file of a batch is added before any is walked, so the type checker
// resolves imports, fields and methods across them. Built as its own bundle (dist/tsFrontEnd.js)
// and loaded by the registry only when a TS/JS file is present.

import type { Project } from 'ts-morph';
import type { FrontEnd, Walked, WalkRequest } from '../frontEnd';
import type { SourceFile } from '../types';
import { typescriptClaim } from './claims';
import { createProject, forgetResolutions, moduleNameOf } from './tsProject';
import { forgetParses, parseIncrementally } from './incrementalParse';
import { walkTypeScript } from './walker';
import type { UnitMemory } from './unitReuse';
import { dependentsOf, forgetReads, type UnitChange } from './dependents';

let project: Project | undefined;
const moduleNames = new Map<string, string>();
/** The files given to the project and not forgotten since. */
const given = new Set<string>();
/** Files forgotten but still in the project: removed before the project is next used. */
const forgotten = new Set<string>();
/** How many times a file's text changed (or a file left): a walk may reuse units only right after its own file's change. */
let changes = 0;
/** What the last walk of each open document kept for the next (unitReuse.ts), and `changes` after its text was set. */
const memories = new Map<string, { memory: UnitMemory; changes: number }>();
/** How each file's last walk changed its units (undefined: not known), until the engine asks for its dependents. */
const unitChanges = new Map<string, UnitChange | undefined>();

/**
 * The project, created for the first file seen. Forgotten files are removed here, lazily:
 * when every file given is forgotten (the end of a CLI run or an `analyze()`), the whole
 * project is dropped at once, which is far cheaper than removing its files one by one, and the
 * next batch starts a project from its own tsconfig.
 */
function projectFor(path: string): Project {
  if (project && forgotten.size) {
    for (const f of forgotten) {
      const sf = project.getSourceFile(f);
      if (sf) project.removeSourceFile(sf);
    }
    forgotten.clear();
    forgetResolutions();
  }
  if (!project) {
    parseIncrementally();
    project = createProject(path);
  }
  return project;
}

/** Forget a file; forgetting the last one given drops the project. */
function forget(path: string): void {
  memories.delete(path);
  unitChanges.delete(path);
  forgetReads(path);
  if (!given.delete(path)) return;
  changes++;
  forgotten.add(path);
  if (given.size === 0) {
    project = undefined;
    forgotten.clear();
    memories.clear();
    forgetParses();
  }
}

/** A file's module name, worked out once. */
function moduleOf(file: string): string {
  let name = moduleNames.get(file);
  if (name === undefined) moduleNames.set(file, (name = moduleNameOf(file)));
  return name;
}

/**
 * Put a file's text in the project (unchanged text keeps its parse and types). A file new to
 * the project is read from disk first: ts-morph's overwrite would parse the disk copy anyway
 * before parsing the text given, so a text equal to the disk's (every file of a CLI run) is
 * parsed once instead of twice.
 */
function setText(path: string, text: string) {
  forgotten.delete(path);
  const p = projectFor(path);
  given.add(path);
  let old = p.getSourceFile(path);
  if (!old) {
    forgetResolutions();
    changes++; // a new file may be what an import of another file resolves to
    old = p.addSourceFileAtPathIfExists(path);
  }
  if (old && old.getFullText() === text) return old;
  changes++;
  return p.createSourceFile(path, text, { overwrite: true });
}

/** What an open document keeps: nothing but the mark (its parse lives in the shared ts-morph project). */
const KEPT = { frontEnd: 'typescript' } as const;

/**
 * Walk a file; an open document (`keep`) gets the mark, so an unchanged text is not walked again,
 * and keeps its units' facts: when the next change in the project is an edit of it alone, the
 * units the edit did not touch are not walked again.
 */
function walk(req: WalkRequest): Walked {
  const before = changes;
  const sf = setText(req.path, req.text);
  const last = memories.get(req.path);
  const previous = last && changes === before + 1 && last.changes === before ? last.memory : undefined;
  const { facts, memory } = walkTypeScript(sf, moduleOf, req.keep ? { previous } : undefined);
  if (memory) memories.set(req.path, { memory, changes });
  else memories.delete(req.path);
  unitChanges.set(req.path, last && memory && { before: last.memory.units, beforeParse: last.memory.parse, after: memory.units });
  return { facts, kept: req.keep ? KEPT : undefined };
}

export { unitStats } from './unitReuse';

/** The TypeScript/JavaScript front end. */
export const typescriptFrontEnd: FrontEnd = {
  ...typescriptClaim,
  parallel: false,
  usesReads: false,
  load: async () => undefined,
  warmUp: () => undefined,
  prepare: (files: SourceFile[]) => { for (const f of files) setText(f.path, f.text); },
  walk,
  rewalk: (path, text, kept) => walk({ path, text, keep: kept !== undefined }),
  prepareEdits: () => undefined,
  release: () => undefined,
  forget,
  dependentsOf: (path) => {
    const change = unitChanges.get(path);
    unitChanges.delete(path);
    return dependentsOf(path, change, project?.getSourceFile(path)?.getFullText());
  },
  lockKindOf: () => undefined,
};
