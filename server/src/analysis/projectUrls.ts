// The project's web addresses, from package.json's `repository` and `bugs`: where rule pages
// link, SARIF's informationUri, and where the CLI asks for crash reports. Imports nothing else,
// so the CLI's small launcher can use it without loading the engine.

import { bugs, repository } from '../../../package.json';

/** The project's home (`git+https://…/x.git` → `https://…/x`). */
export const repositoryUrl: string = repository.url.replace(/^git\+/, '').replace(/\.git$/, '');

/** Where to report a bug. */
export const bugsUrl: string = bugs.url;
