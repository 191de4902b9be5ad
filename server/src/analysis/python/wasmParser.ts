// The wasm parser: web-tree-sitter and the Python grammar's wasm build (both wasm files sit
// next to the bundle). It loads everywhere; the native one (nativeParser.ts) is faster.

import { Parser, Language, Query, Edit } from 'web-tree-sitter';
import type { Tree as WasmTree } from 'web-tree-sitter';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ParserBackend } from './parser';
import type { Tree } from './syntax';

/** Find a wasm file next to the bundle, or in node_modules when run from source. */
function wasmPath(file: string, pkg: string): string {
  const beside = path.join(__dirname, file);
  if (fs.existsSync(beside)) return beside;
  return path.join(path.dirname(require.resolve(pkg === 'web-tree-sitter' ? pkg : `${pkg}/package.json`)), file);
}

/** Load web-tree-sitter and the Python grammar. */
export async function loadWasmParser(): Promise<ParserBackend> {
  const runtimeWasm = wasmPath('web-tree-sitter.wasm', 'web-tree-sitter');
  await Parser.init({ locateFile: () => runtimeWasm });
  const language = await Language.load(fs.readFileSync(wasmPath('tree-sitter-python.wasm', 'tree-sitter-python')));
  const parser = new Parser();
  parser.setLanguage(language);
  return {
    name: 'wasm (web-tree-sitter)',
    native: false,
    parse: (text, old) => parser.parse(text, old as WasmTree | undefined) as Tree | null,
    edit: (tree, e) => (tree as WasmTree).edit(new Edit(e)),
    free: (tree) => (tree as WasmTree).delete(),
    query: (source) => new Query(language, source) as unknown as ReturnType<ParserBackend['query']>,
  };
}
