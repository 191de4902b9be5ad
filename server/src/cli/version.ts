// The CLI's name, version and home page, taken from package.json at build time.

import { version as packageVersion } from '../../../package.json';

/** The version printed by `--version` and written into SARIF. */
export const version: string = packageVersion;

/** Where the project lives; SARIF's `informationUri`. */
export const informationUri = 'https://github.com/lockorder/lockorder';
