// The list of report files in the "Clear Run-Time Reports" confirmation: the first few by name,
// then how many more. Kept free of the VS Code API so that it can be tested on its own.

/** How many file names the confirmation shows before "and N more". */
export const shownFiles = 5;

/** The confirmation's detail text: one file per line, the first few, then `and N more`. */
export function confirmationDetail(names: string[]): string {
  const shown = names.slice(0, shownFiles);
  const more = names.length - shown.length;
  return more > 0 ? [...shown, `and ${more} more`].join('\n') : shown.join('\n');
}
