// Helpers of the Node runtime tests: run a script under the runtime in a child process (with a
// timeout, so a deadlock that the runtime failed to end can never hang the test), read its
// report records, and find a marked line in a fixture.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const fixtures = join(root, 'test', 'runtime-node');
export const register = join(root, 'runtime', 'node', 'register.mjs');

/** Records of every report file in a folder. */
export function readRecords(dir) {
  let files = [];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith('.jsonl'));
  } catch {
    return [];
  }
  return files.flatMap((f) => readFileSync(join(dir, f), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l)));
}

/**
 * Run a fixture with `node --import register`; returns status, output and records.
 * options: { args, env, nodeArgs, raise, cwd }
 */
export function runUnderRuntime(fixture, options = {}) {
  const reportDir = mkdtempSync(join(tmpdir(), 'lo-node-'));
  const env = { ...process.env, LOCKORDER_REPORT_DIR: reportDir, LOCKORDER_RAISE: options.raise ? '1' : '0', ...options.env };
  delete env.NODE_OPTIONS;
  const run = spawnSync(process.execPath, [...(options.nodeArgs ?? []), '--import', register, join(fixtures, fixture), ...(options.args ?? [])], {
    cwd: options.cwd ?? root, env, encoding: 'utf8', timeout: 30000,
  });
  return { status: run.status, signal: run.signal, stdout: run.stdout, stderr: run.stderr, records: readRecords(reportDir), reportDir };
}

/** The 1-based line of the fixture holding `marker`. */
export function lineOf(fixture, marker) {
  const index = readFileSync(join(fixtures, fixture), 'utf8').split('\n').findIndex((l) => l.includes(marker));
  if (index < 0) throw new Error(`no line with ${marker} in ${fixture}`);
  return index + 1;
}

/** Records of one rule. */
export function ofRule(records, rule) {
  return records.filter((r) => r.rule === rule);
}
