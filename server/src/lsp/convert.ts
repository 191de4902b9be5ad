// Conversions between the engine's world (absolute file paths, plain ranges) and the
// protocol's (URIs). Engine positions are already 0-based line / UTF-16 character.

import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Location as LspLocation } from 'vscode-languageserver/node';
import type { Location } from '../analysis';

/**
 * Untitled TS/JS documents get an engine key the TS front end claims (front ends pick files by
 * name): a path in this folder, named by the URI and an extension for the language.
 */
const untitledFolder = '/lockorder-untitled/';
const scriptExtensions: Record<string, string> = { typescript: '.ts', typescriptreact: '.tsx', javascript: '.js', javascriptreact: '.jsx' };
const untitledKeys = new Map<string, string>();

/** A document was opened: an untitled TS/JS one gets its key until it is closed. */
export function noteOpened(uri: string, languageId: string): void {
  const ext = scriptExtensions[languageId];
  if (uri.startsWith('file:') || !ext) untitledKeys.delete(uri);
  else untitledKeys.set(uri, `${untitledFolder}${encodeURIComponent(uri)}${ext}`);
}

/** A document was closed (after the session forgot it). */
export function noteClosed(uri: string): void {
  untitledKeys.delete(uri);
}

/** The engine key of a document: the file path for `file:` URIs, the URI itself otherwise (see `noteOpened` for untitled TS/JS). */
export function uriToPath(uri: string): string {
  if (!uri.startsWith('file:')) return untitledKeys.get(uri) ?? uri;
  try {
    return fileURLToPath(uri);
  } catch {
    return uri;
  }
}

/** The URI of an engine key (see `uriToPath`). */
export function pathToUri(path: string): string {
  if (path.startsWith(untitledFolder)) return decodeURIComponent(path.slice(untitledFolder.length).replace(/\.[jt]sx?$/, ''));
  if (/^[a-zA-Z][\w+.-]*:/.test(path) && !/^[a-zA-Z]:[\\/]/.test(path)) return path;
  return pathToFileURL(path).href;
}

/** Normalise a URI so that two spellings of one file compare equal (e.g. `%3A` vs `:`). */
export function normalizeUri(uri: string): string {
  return uri.startsWith('file:') ? pathToUri(uriToPath(uri)) : uri;
}

/** An engine location as an LSP location. */
export function toLspLocation(loc: Location): LspLocation {
  return { uri: pathToUri(loc.file), range: loc.range };
}
