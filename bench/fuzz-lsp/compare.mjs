// The final check of the LSP fuzzer: the diagnostics the server last published for every file
// (findings and suppression notes) equal a fresh `analyze()` of the final texts (open documents'
// text in place of the disk's).

import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

const { analyze } = createRequire(import.meta.url)('../../dist/analysis.js');
const severities = { error: 1, warning: 2, information: 3, hint: 4 };

/** A diagnostic reduced to what is compared, as one string. */
const key = (d) => JSON.stringify({ code: d.code, severity: d.severity, range: d.range, message: d.message });

/**
 * Compare `published` (URI → last publishDiagnostics params) with a fresh analysis of `files`
 * ({ path, text }). Returns { files, diagnostics, differences: [one line per differing file] }.
 */
export async function compareWithFresh(files, published) {
  const result = await analyze(files.map(({ path, text }) => ({ path, text })));
  const expected = new Map(files.map((f) => [pathToFileURL(f.path).href, []]));
  for (const f of result.findings) {
    const uri = pathToFileURL(f.location.file).href;
    if (!expected.has(uri)) expected.set(uri, []);
    expected.get(uri).push(key({ code: f.code, severity: severities[f.severity], range: f.location.range, message: f.message }));
  }
  // Suppression notes are published too: unknown codes as Information, unused ones as Hint.
  for (const n of result.suppressionNotes ?? []) {
    const uri = pathToFileURL(n.file).href;
    if (!expected.has(uri)) expected.set(uri, []);
    const unused = n.kind === 'unused';
    expected.get(uri).push(key({ code: unused ? 'unused-suppression' : 'unknown-code', severity: unused ? 4 : 3, range: n.range, message: n.message }));
  }
  const differences = [];
  let diagnostics = 0;
  for (const uri of new Set([...expected.keys(), ...published.keys()])) {
    const want = (expected.get(uri) ?? []).sort();
    const got = (published.get(uri)?.diagnostics ?? []).map(key).sort();
    diagnostics += got.length;
    const missing = want.filter((k) => !got.includes(k));
    const extra = got.filter((k) => !want.includes(k));
    if (JSON.stringify(want) !== JSON.stringify(got)) {
      differences.push(`${uri}: ${missing.length} missing, ${extra.length} extra; first missing ${missing[0] ?? '-'}; first extra ${extra[0] ?? '-'}`);
    }
  }
  return { files: expected.size, diagnostics, differences };
}
