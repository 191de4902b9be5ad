// The workspace folders, and which folder (and which exclude globs) a file belongs to.

import { relative, sep, isAbsolute } from 'node:path';
import type { WorkspaceFolder } from 'vscode-languageserver/node';
import { uriToPath } from './convert';
import { compileGlobs, type GlobSet } from './glob';
import type { Settings } from './settings';

/** A workspace folder with its path on disk. */
export interface Folder {
  uri: string;
  path: string;
  name: string;
}

/** Workspace folders as this server uses them (only `file:` folders can be indexed). */
export function toFolders(folders: WorkspaceFolder[] | null | undefined, rootUri?: string | null): Folder[] {
  const list = folders && folders.length > 0 ? folders : rootUri ? [{ uri: rootUri, name: rootUri }] : [];
  return list.filter((f) => f.uri.startsWith('file:')).map((f) => ({ uri: f.uri, path: uriToPath(f.uri), name: f.name }));
}

/** The innermost folder holding `path`, and the path relative to it with `/` separators. */
export function folderOf(folders: Folder[], path: string): { folder: Folder; rel: string } | undefined {
  let best: { folder: Folder; rel: string } | undefined;
  for (const folder of folders) {
    const rel = relative(folder.path, path);
    if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) continue;
    if (!best || folder.path.length > best.folder.path.length) best = { folder, rel: rel.split(sep).join('/') };
  }
  return best;
}

const globCache = new WeakMap<Settings, GlobSet>();

/** The compiled exclude globs of a settings object (compiled once per object). */
export function excludeGlobs(settings: Settings, onError?: (pattern: string, message: string) => void): GlobSet {
  let globs = globCache.get(settings);
  if (!globs) {
    globs = compileGlobs(settings.exclude, onError);
    globCache.set(settings, globs);
  }
  return globs;
}
