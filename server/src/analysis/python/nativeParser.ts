// The native parser: tree-sitter's N-API binding with tree-sitter-python's native grammar, the
// same grammar version as the wasm build. It parses about a fifth faster, but every node read
// crosses N-API (see parser.ts for why it is not the default); its binaries load through nativeBinding.ts. Its trees are freed by the garbage collector (there is no delete()).

import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
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
  Tree: { prototype: { _cacheNode(node: object): void; _cacheNodes(nodes: object[]): void } };
  SyntaxNode: { prototype: { childForFieldName(name: string): unknown } };
}

/** A node object of the binding: its first six numbers are the node as the binary hands it out. */
type NodeFields = Record<number, number>;

/**
 * Read a node's id, start offset and start position from the numbers every node object
 * carries (its pointer in two halves, its start in bytes of UTF-16, its start row and column
 * in bytes) instead of asking the binary each time: the same values, without the call.
 */
function startsFromFields(binding: NativeModule): void {
  Object.defineProperties(binding.SyntaxNode.prototype, {
    id: { get(this: NodeFields) { return this[0] + this[1] * 0x1_0000_0000; }, configurable: true },
    startIndex: { get(this: NodeFields) { return this[2] >>> 1; }, configurable: true },
    startPosition: { get(this: NodeFields) { return { row: this[3], column: this[4] >>> 1 }; }, configurable: true },
  });
}

/**
 * Stop the binding from registering every node object it hands out with its tree (a weak
 * reference and a finalizer each, so it can hand the same object out again and move it when
 * the tree is edited): the walk creates millions of nodes and keeps none, tells nodes apart
 * by `id` (as it must with the wasm parser, whose node objects are never reused) and never
 * reads an old node after an edit. Millions of finalizers also kept the garbage collector busy.
 */
function skipNodeCache(binding: NativeModule): void {
  binding.Tree.prototype._cacheNode = () => undefined;
  binding.Tree.prototype._cacheNodes = () => undefined;
}

/**
 * How many characters of source may be parsed between two collections. A tree takes some
 * 40 bytes per character outside the JavaScript heap, which the garbage collector does not
 * see: left to itself it let a worker hold a gigabyte of dropped trees on the standard library.
 */
const COLLECT_EVERY_CHARS = 3_000_000;

/** The garbage collector as a function (exposed at run time when node was not started with --expose-gc). */
function collector(): () => void {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (exposed) return exposed;
  try {
    setFlagsFromString('--expose-gc');
    return runInNewContext('gc') as () => void;
  } catch {
    return () => undefined;
  }
}

/**
 * `childForFieldName` through the getters the binding defines per node type (`nameNode` for
 * the field `name`), which know the field's number: the binding's own method sends the name
 * to the binary, which looks it up among the grammar's fields on every call. A field a node
 * type does not have, or has many of, still goes to the binary.
 */
function fieldsByGetter(binding: NativeModule): void {
  const byName = binding.SyntaxNode.prototype.childForFieldName;
  const getters = new Map<string, string>();
  binding.SyntaxNode.prototype.childForFieldName = function childForFieldName(this: Record<string, unknown>, name: string) {
    let getter = getters.get(name);
    if (getter === undefined) getters.set(name, (getter = `${name.replace(/_(\w)/g, (_, c: string) => c.toUpperCase())}Node`));
    return getter in this ? this[getter] : byName.call(this, name);
  };
}

/** Load the binding and the grammar; throws when their binaries do not load here. */
export function loadNativeParser(): ParserBackend {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const TreeSitter = require('tree-sitter') as NativeModule;
  const python = require('tree-sitter-python') as unknown;
  const version = (require('tree-sitter/package.json') as { version: string }).version;
  /* eslint-enable @typescript-eslint/no-require-imports */
  skipNodeCache(TreeSitter);
  startsFromFields(TreeSitter);
  fieldsByGetter(TreeSitter);
  const parser = new TreeSitter();
  parser.setLanguage(python);
  const binaries = loadedBinaries();
  const collect = collector();
  let parsedChars = 0;
  return {
    name: `native (tree-sitter ${version}, N-API${binaries.length ? `: ${binaries.join(', ')}` : ''})`,
    native: true,
    // The binding reads the text through a buffer (32K units by default): one the size of the text reads it at once.
    parse: (text, old) => {
      parsedChars += text.length;
      return parser.parse(text, old, { bufferSize: text.length + 1 });
    },
    edit: (tree, e) => (tree as unknown as { edit(e: object): void }).edit(e),
    // Trees are freed when collected: once enough source was parsed, a dropped tree calls a collection.
    free: () => {
      if (parsedChars < COLLECT_EVERY_CHARS) return;
      parsedChars = 0;
      collect();
    },
    query: (source) => new TreeSitter.Query(python, source),
  };
}
