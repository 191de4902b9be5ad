// The CLI's name, version and home page, taken from package.json at build time.

import { version as packageVersion } from '../../../package.json';
import { bugsUrl, repositoryUrl } from '../analysis/projectUrls';

/** The version printed by `--version` and written into SARIF. */
export const version: string = packageVersion;

/** Where the project lives; SARIF's `informationUri`. */
export const informationUri = repositoryUrl;

/** Where to report a crash of the CLI itself. */
export { bugsUrl };
