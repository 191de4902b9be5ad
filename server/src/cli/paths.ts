// How the CLI shows paths: relative to the current directory when inside it, with `/`
// separators, and as SARIF URIs relative to %SRCROOT%.

import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

/** The path to print for a file: relative to `cwd` when inside it, else absolute. */
export function displayPath(file: string, cwd: string): string {
  const rel = path.relative(cwd, file);
  if (rel === '') return '.';
  if (rel.startsWith('..') || path.isAbsolute(rel)) return toSlashes(file);
  return toSlashes(rel);
}

/** A SARIF artifact URI: relative (percent-encoded) when inside `cwd`, else a file:// URI. */
export function sarifUri(file: string, cwd: string): { uri: string; uriBaseId?: string } {
  const shown = displayPath(file, cwd);
  if (path.isAbsolute(shown)) return { uri: pathToFileURL(file).href };
  return { uri: shown.split('/').map(encodeURIComponent).join('/'), uriBaseId: '%SRCROOT%' };
}

/** The file:// URI of a directory, with a trailing slash, for SARIF's originalUriBaseIds. */
export function directoryUri(dir: string): string {
  const href = pathToFileURL(dir).href;
  return href.endsWith('/') ? href : `${href}/`;
}

/** Replace platform separators by `/`. */
export function toSlashes(p: string): string {
  return p.split(path.sep).join('/');
}
