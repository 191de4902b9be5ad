// The native parser: tree-sitter's N-API binding with tree-sitter-python's native grammar, the
// same grammar version as the wasm build. About a third faster to parse; its binaries load
// through nativeBinding.ts. Its trees are freed by the garbage collector (there is no delete()).

import type { ParserBackend } from './parser';
import type { Query, Tree } from './syntax';
import { loadedBinaries } from './nativeBinding';

/** The parts of the binding's API used here. */
interface NativeParser {
  setLanguage(language: unknown): void;
  parse(text: string, old?: unknown, options?: { bufferSize?: number }): Tree;
}
interface NativeModule {
  new (): NativeParser;
  Query: new (language: unknown, source: string) => Query;
}

/** Load the binding and the grammar; throws when their binaries do not load here. */
export function loadNativeParser(): ParserBackend {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const TreeSitter = require('tree-sitter') as NativeModule;
  const python = require('tree-sitter-python') as unknown;
  const version = (require('tree-sitter/package.json') as { version: string }).version;
  /* eslint-enable @typescript-eslint/no-require-imports */
  const parser = new TreeSitter();
  parser.setLanguage(python);
  const binaries = loadedBinaries();
  return {
    name: `native (tree-sitter ${version}, N-API${binaries.length ? `: ${binaries.join(', ')}` : ''})`,
    native: true,
    // The binding reads the text through a buffer (32K units by default): one the size of the text reads it at once.
    parse: (text, old) => parser.parse(text, old, { bufferSize: text.length + 1 }),
    edit: (tree, e) => (tree as unknown as { edit(e: object): void }).edit(e),
    free: () => undefined,
    query: (source) => new TreeSitter.Query(python, source),
  };
}
