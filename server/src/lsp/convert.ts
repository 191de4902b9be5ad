// Conversions between the engine's world (absolute file paths, plain ranges) and the
// protocol's (URIs). Engine positions are already 0-based line / UTF-16 character.

import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Location as LspLocation } from 'vscode-languageserver/node';
import type { Location } from '../analysis';

/** The engine key of a document: the file path for `file:` URIs, the URI itself otherwise. */
export function uriToPath(uri: string): string {
  if (!uri.startsWith('file:')) return uri;
  try {
    return fileURLToPath(uri);
  } catch {
    return uri;
  }
}

/** The URI of an engine key (see `uriToPath`). */
export function pathToUri(path: string): string {
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
