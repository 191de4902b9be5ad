// Build output folders (`dist`, `build`, …): TS/JS files below one are compiled copies of
// sources, so neither `lockorder check` nor the editor's index analyzes them (Python files
// there still are). Shared by the CLI's file walk and the server's workspace index.

/** Folder names whose TS/JS files are build output. */
export const buildOutputDirectories = ['dist', 'build', 'out', 'coverage', '.next'];

/** Whether a `/`-separated relative path lies below a build output folder (its file name aside). */
export function belowBuildOutput(rel: string): boolean {
  const folders = rel.split('/').slice(0, -1);
  return folders.some((f) => buildOutputDirectories.includes(f));
}
