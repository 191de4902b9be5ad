// Files whose lines end with a lone carriage return (old Mac style) are checked like the same
// files with line feeds: same findings at the same lines and columns, no syntax warning. The
// CR files are made here from the LF fixtures. The editor's view agrees: an LSP text document
// counts a lone CR as a line break, so each finding's position is the same offset in both.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'dist', 'cli.js');
const fixtures = join(root, 'test', 'fixtures', 'python');
const { TextDocument } = createRequire(import.meta.url)('vscode-languageserver-textdocument');
const made = [];
after(() => { for (const dir of made) rmSync(dir, { recursive: true, force: true }); });

/** The single-file fixtures that expect findings and parse cleanly. */
const positive = readdirSync(fixtures).filter((n) => n.endsWith('.py') && !n.includes('syntax_error'))
  .filter((n) => /^\s*expect:\s*LO\d{3} at/m.test(readFileSync(join(fixtures, n), 'utf8'))).sort();

/** Copies of `names` into `lf/` (as they are) and `cr/` (every `\n` turned into `\r`). */
function copies(names) {
  const dir = mkdtempSync(join(tmpdir(), 'lockorder-cr-'));
  made.push(dir);
  for (const kind of ['lf', 'cr']) mkdirSync(join(dir, kind));
  for (const name of names) {
    const text = readFileSync(join(fixtures, name), 'utf8');
    assert.ok(!text.includes('\r'), `${name} already has carriage returns`);
    writeFileSync(join(dir, 'lf', name), text);
    writeFileSync(join(dir, 'cr', name), text.replaceAll('\n', '\r'));
  }
  return dir;
}

/** The CLI's JSON findings for `paths`, keyed by file base name, and its stderr. */
function check(paths) {
  const run = spawnSync(process.execPath, [cli, 'check', '--format', 'json', ...paths], { encoding: 'utf8' });
  assert.equal(run.status, 1, run.stderr);
  const findings = JSON.parse(run.stdout).findings.map((f) => ({
    file: basename(f.file), code: f.code, line: f.line, column: f.column, endLine: f.endLine, endColumn: f.endColumn,
    message: f.message, related: f.related.map((r) => [basename(r.file), r.line, r.column, r.message]),
  }));
  return { findings, stderr: run.stderr };
}

test('a CR-only file gets the findings of its LF twin, at the same lines (one file)', () => {
  const name = 'LO101_ABBA_with.py';
  const dir = copies([name]);
  const lf = check([join(dir, 'lf', name)]);
  const cr = check([join(dir, 'cr', name)]);
  assert.equal(cr.stderr, '', 'no syntax warning for the CR file');
  assert.deepEqual(cr.findings, lf.findings);
  assert.deepEqual(lf.findings.map((f) => `${f.code} ${f.line}`), ['LO101 23']);
});

test('CR-only fixtures give the findings of the LF fixtures (every positive fixture, worker threads)', () => {
  assert.ok(positive.length >= 40, 'enough files to be parsed in worker threads');
  const dir = copies(positive);
  const lf = check([join(dir, 'lf')]);
  const cr = check([join(dir, 'cr')]);
  assert.equal(cr.stderr, lf.stderr.replaceAll(join(dir, 'lf'), join(dir, 'cr')));
  assert.ok(lf.findings.length >= positive.length);
  assert.deepEqual(cr.findings, lf.findings);
});

test('an LSP text document puts each finding of a CR-only file on the same text as in the LF file', () => {
  const name = 'LO102_AA_with.py';
  const dir = copies([name]);
  const run = spawnSync(process.execPath, [cli, 'check', '--format', 'json', join(dir, 'cr', name)], { encoding: 'utf8' });
  const [finding] = JSON.parse(run.stdout).findings;
  assert.equal(finding.code, 'LO102');
  const lfText = readFileSync(join(dir, 'lf', name), 'utf8');
  const crDoc = TextDocument.create('file:///cr.py', 'python', 1, readFileSync(join(dir, 'cr', name), 'utf8'));
  const lfDoc = TextDocument.create('file:///lf.py', 'python', 1, lfText);
  const { start, end } = finding.range;
  assert.equal(crDoc.offsetAt(start), lfDoc.offsetAt(start));
  assert.equal(crDoc.offsetAt(end), lfDoc.offsetAt(end));
  const taken = lfText.split('\n')[start.line].slice(start.character, end.character);
  assert.equal(taken, 'a', 'the finding is at the inner `with a`');
  assert.equal(crDoc.getText(finding.range), taken);
});
