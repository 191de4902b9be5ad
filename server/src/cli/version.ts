// The CLI's name, version and home page, taken from package.json at build time.

import { bugs, version as packageVersion } from '../../../package.json';
import { repositoryUrl } from '../analysis/rules/registry';

/** The version printed by `--version` and written into SARIF. */
export const version: string = packageVersion;

/** Where the project lives; SARIF's `informationUri`. */
export const informationUri = repositoryUrl;

/** Where to report a crash of the CLI itself. */
export const bugsUrl: string = bugs.url;
