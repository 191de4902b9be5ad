// The file system the ts-morph project reads through: the real one, except that the answers
// to "is there a package.json here?" and "does this folder exist?" are kept until the project's
// set of files changes. The compiler asks them for every file's folders each time it builds a
// program (after every edit, to learn whether a file is an ES module), and stat calls cost
// more than the rest of building the program.

import { RealFileSystemHost } from '@ts-morph/common';

/** Package.json presence by path, and folders seen to exist. */
const packageJsons = new Map<string, boolean>();
const folders = new Set<string>();

/** Forget what was kept (a file was added or removed, so a package.json or folder may be new). */
export function forgetFileSystemAnswers(): void {
  packageJsons.clear();
  folders.clear();
}

/** The real file system, with package.json and folder lookups kept. */
export class KeptLookupsFileSystem extends RealFileSystemHost {
  override fileExistsSync(filePath: string): boolean {
    if (!filePath.endsWith('/package.json')) return super.fileExistsSync(filePath);
    let found = packageJsons.get(filePath);
    if (found === undefined) packageJsons.set(filePath, (found = super.fileExistsSync(filePath)));
    return found;
  }

  override directoryExistsSync(dirPath: string): boolean {
    if (folders.has(dirPath)) return true;
    const found = super.directoryExistsSync(dirPath);
    if (found) folders.add(dirPath);
    return found;
  }
}
