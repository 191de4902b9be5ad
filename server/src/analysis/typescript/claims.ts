// Which files the TypeScript/JavaScript front end reads, known without loading it (the
// registry asks this for every file; ts-morph is loaded only when one is claimed).

import type { FrontEndClaim } from '../frontEnd';

const EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'] as const;

/** Declaration files (`.d.ts`, `.d.mts`, `.d.cts`) describe code that lives elsewhere: nothing to check. */
const DECLARATION = /\.d\.[mc]?ts$/;

/** The TypeScript/JavaScript front end's claim. */
export const typescriptClaim: FrontEndClaim = {
  language: 'typescript',
  extensions: EXTENSIONS,
  // By name only: `node_modules` folders are skipped where files are collected (CLI, editor index).
  claims: (path) => EXTENSIONS.some((e) => path.endsWith(e)) && !DECLARATION.test(path),
};
