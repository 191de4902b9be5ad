// The languages lockorder analyzes in the editor, in one place: the language client's document
// selector, the code-action providers, the status item and the graph view's "this file" all use
// these. package.json's `onLanguage` activation events name the same ids (a test checks it).

/** VS Code language ids of the source files the server analyzes. */
export const sourceLanguages = ['python', 'typescript', 'javascript', 'typescriptreact', 'javascriptreact'] as const;

/** Whether a document of this language id is analyzed. */
export function isSourceLanguage(languageId: string): boolean {
  return (sourceLanguages as readonly string[]).includes(languageId);
}

/** Documents of these languages, saved (`file`) or not yet (`untitled`). */
export const sourceDocuments: { scheme: string; language: string }[] = sourceLanguages.flatMap((language) => [
  { scheme: 'file', language }, { scheme: 'untitled', language },
]);

/** Documents of these languages, whatever their scheme (code actions, the status item). */
export const anySourceDocument: { language: string }[] = sourceLanguages.map((language) => ({ language }));

/** The files whose changes on disk the server hears of (the extensions the front ends read). */
export const sourceFileGlob = '**/*.{py,ts,tsx,mts,cts,js,jsx,mjs,cjs}';
