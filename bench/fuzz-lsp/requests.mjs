// The random requests of the LSP fuzzer: hover, code actions and definition at any position of
// a document, including past its last line and at huge characters (negative ones are not LSP).

import { lineStarts, positionAt } from './text.mjs';

/** The largest `uinteger` of the protocol. */
const maxUinteger = 2 ** 31 - 1;

/** A position anywhere: inside the text (mostly), past the last line, or at a huge character. */
function anyPosition(rng, text, starts) {
  const inside = positionAt(starts, rng.int(text.length + 1));
  switch (rng.weighted({ inside: 70, pastLastLine: 10, hugeCharacter: 12, both: 8 })) {
    case 'inside': return inside;
    case 'pastLastLine': return { line: starts.length + rng.int(1000), character: rng.int(80) };
    case 'hugeCharacter': return { line: inside.line, character: rng.pick([inside.character + 1, 1000000, maxUinteger]) };
    default: return { line: rng.pick([starts.length, 1000000, maxUinteger]), character: rng.pick([0, maxUinteger]) };
  }
}

/** Order two positions (an LSP range starts before it ends). */
function ordered(a, b) {
  return a.line < b.line || (a.line === b.line && a.character <= b.character) ? { start: a, end: b } : { start: b, end: a };
}

/** One request on `doc`: { kind, method, params }; `diagnostics` are the document's last published ones. */
export function nextRequest(rng, doc, diagnostics) {
  const starts = lineStarts(doc.text);
  const textDocument = { uri: doc.uri };
  const kind = rng.pick(['hover', 'codeAction', 'definition']);
  const position = anyPosition(rng, doc.text, starts);
  if (kind === 'hover') return { kind, method: 'textDocument/hover', params: { textDocument, position } };
  if (kind === 'definition') return { kind, method: 'textDocument/definition', params: { textDocument, position } };
  const chosen = rng.chance(0.6) ? diagnostics.filter(() => rng.chance(0.5)) : [];
  const range = chosen.length > 0 && rng.chance(0.5) ? chosen[0].range : ordered(position, anyPosition(rng, doc.text, starts));
  const only = rng.pick([undefined, undefined, ['quickfix'], ['source.fixAll'], ['source.fixAll.lockorder'], ['source']]);
  return { kind, method: 'textDocument/codeAction', params: { textDocument, range, context: { diagnostics: chosen, ...(only ? { only } : {}) } } };
}
