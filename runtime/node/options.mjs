// The one options object of the Node runtime, built from the environment that `lockorder run`
// (or the user, with NODE_OPTIONS=--import=lockorder/register) sets. Same variables as the
// Python runtime: LOCKORDER_REPORT_DIR, LOCKORDER_RAISE, LOCKORDER_ORDER_FILE, plus
// LOCKORDER_SUMMARY=0 to keep stderr quiet (or =locks: only a process that saw a lock prints it,
// for `npm test` with the runtime in NODE_OPTIONS, where npm and the test runner see none).

import { resolve } from 'node:path';

/**
 * Settings of a recording session.
 * @typedef {object} Options
 * @property {string} reportDir where `lockorder-<pid>.jsonl` goes (absolute)
 * @property {boolean} raise reject the offending acquire with DeadlockError / LockOrderViolation
 * @property {'always' | 'never' | 'locks'} summary print the one-paragraph summary on stderr at exit
 *   (always, never, or only when the process saw a lock)
 * @property {number} stackDepth most frames kept per recorded stack
 * @property {string | null} orderFile the declared lock hierarchy, null = look for `lockorder.order`
 */

/**
 * Options from an environment (default: process.env).
 * @param {Record<string, string | undefined>} [env]
 * @returns {Options}
 */
export function optionsFromEnv(env = process.env) {
  return {
    reportDir: resolve(env.LOCKORDER_REPORT_DIR || '.lockorder'),
    raise: env.LOCKORDER_RAISE === '1',
    summary: summaryMode(env.LOCKORDER_SUMMARY),
    stackDepth: 20,
    orderFile: env.LOCKORDER_ORDER_FILE || null,
  };
}

/**
 * Environment variables that make a child Node process record the same way.
 * @param {{ reportDir?: string, raise?: boolean, orderFile?: string | null }} options
 * @returns {Record<string, string>}
 */
export function optionsToEnv(options) {
  /** @type {Record<string, string>} */
  const env = {
    LOCKORDER: '1',
    LOCKORDER_REPORT_DIR: resolve(options.reportDir || '.lockorder'),
    LOCKORDER_RAISE: options.raise ? '1' : '0',
  };
  if (options.orderFile) env.LOCKORDER_ORDER_FILE = resolve(options.orderFile);
  return env;
}

/**
 * LOCKORDER_SUMMARY as a mode: `0` never, `locks` only after a lock was seen, else always.
 * @param {string | undefined} value
 * @returns {'always' | 'never' | 'locks'}
 */
function summaryMode(value) {
  if (value === '0') return 'never';
  return value === 'locks' ? 'locks' : 'always';
}
