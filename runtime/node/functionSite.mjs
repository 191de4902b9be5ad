// Where a function was defined, found only when a report needs it: the runtime does not
// capture a stack for each uncontended runExclusive (too costly), so a lock held by a
// runExclusive or ordered-acquire callback is reported at that callback's definition (its
// first line, normally the line of the runExclusive call). Uses an in-process inspector session
// (synchronous) and, under --enable-source-maps, the script's source map.

import { Session } from 'node:inspector';
import { findSourceMap } from 'node:module';
import { fileURLToPath } from 'node:url';

/**
 * The place a function was defined, as a report frame, or null.
 * @param {Function} fn
 * @returns {{ file: string, line: number, column: number, function: string } | null}
 */
export function functionSite(fn) {
  const session = new Session();
  /** @type {Map<string, string>} */
  const scripts = new Map();
  let site = null;
  const key = `__lockorderFunction${process.pid}`;
  try {
    session.connect();
    session.on('Debugger.scriptParsed', (m) => scripts.set(m.params.scriptId, m.params.url));
    session.post('Debugger.enable', () => {});
    /** @type {any} */ (globalThis)[key] = fn;
    session.post('Runtime.evaluate', { expression: `globalThis.${key}` }, (error, result) => {
      if (error || !result.result.objectId) return;
      session.post('Runtime.getProperties', { objectId: result.result.objectId }, (error2, props) => {
        const location = props?.internalProperties?.find((p) => p.name === '[[FunctionLocation]]')?.value?.value;
        if (error2 || !location) return;
        site = toFrame(scripts.get(location.scriptId) ?? '', location.lineNumber, location.columnNumber, fn.name);
      });
    });
  } catch {
    site = null;
  } finally {
    delete (/** @type {any} */ (globalThis))[key];
    try { session.disconnect(); } catch { /* not connected */ }
  }
  return site;
}

/**
 * A report frame for a 0-based position in a script, mapped through its source map if any.
 * @param {string} url @param {number} line @param {number} column @param {string} name
 */
function toFrame(url, line, column, name) {
  if (!url) return null;
  let file = url.startsWith('file:') ? fileURLToPath(url) : url;
  let outLine = line + 1;
  let outColumn = column + 1;
  const map = process.sourceMapsEnabled ? findSourceMap(file) : undefined;
  const entry = /** @type {any} */ (map?.findEntry(line, column));
  if (entry && entry.originalSource) {
    file = entry.originalSource.startsWith('file:') ? fileURLToPath(entry.originalSource) : entry.originalSource;
    outLine = entry.originalLine + 1;
    outColumn = entry.originalColumn + 1;
  }
  return { file, line: outLine, column: outColumn, function: name || '<anonymous>' };
}
