// Parse an edited file incrementally: ts-morph re-parses a file's whole text when it is
// replaced, which costs ~10 ms on a 3,000-line file at every keystroke. The compiler's
// incremental parser (what tsserver uses) re-parses only the nodes around the change and reuses
// the rest. ts-morph asks its document registry for every parse; this wraps that one method.
// ts-morph forgets every wrapper of the file's old nodes before the parse, so nothing keeps a
// reused node's old wrapper; caches of the walk are keyed by wrappers or by plain values.

import { DocumentRegistry } from '@ts-morph/common';
import { ts } from 'ts-morph';

/** A parse, with the fields the language service adds to it. */
type Parse = ts.SourceFile & { scriptKind?: ts.ScriptKind; version?: string };

/** The last parse handed out for each file name. */
const latest = new Map<string, Parse>();
let installed = false;

/** Make the document registry parse a file's new text incrementally from its last parse. */
export function parseIncrementally(): void {
  if (installed) return;
  installed = true;
  const proto = DocumentRegistry.prototype;
  const full = proto.createOrUpdateSourceFile;
  const remove = proto.removeSourceFile;
  proto.createOrUpdateSourceFile = function (fileName, settings, snapshot, scriptKind) {
    const old = latest.get(fileName);
    const range = old && old.languageVersion === (settings.target ?? ts.ScriptTarget.Latest) && old.scriptKind === (scriptKind ?? old.scriptKind)
      ? changeRange(old.text, snapshot) : undefined;
    const sf = old && range ? ts.updateLanguageServiceSourceFile(old, snapshot, String(Number(old.version ?? '0') + 1), range)
      : full.call(this, fileName, settings, snapshot, scriptKind);
    latest.set(fileName, sf as Parse);
    return sf;
  };
  proto.removeSourceFile = function (fileName) {
    latest.delete(fileName);
    return remove.call(this, fileName);
  };
}

/** Forget every parse (the project is dropped). */
export function forgetParses(): void {
  latest.clear();
}

/** The span of the old text that the new one replaces (common prefix and suffix left out). */
function changeRange(oldText: string, snapshot: ts.IScriptSnapshot): ts.TextChangeRange | undefined {
  const text = snapshot.getText(0, snapshot.getLength());
  if (text === oldText) return undefined;
  const max = Math.min(oldText.length, text.length);
  let start = 0;
  while (start < max && oldText.charCodeAt(start) === text.charCodeAt(start)) start++;
  let end = 0;
  while (end < max - start && oldText.charCodeAt(oldText.length - 1 - end) === text.charCodeAt(text.length - 1 - end)) end++;
  return ts.createTextChangeRange(ts.createTextSpan(start, oldText.length - end - start), text.length - end - start);
}
