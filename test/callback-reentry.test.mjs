// LO107 callback-reentry messages, on the positive fixtures: each names the lock, the entry
// point and how Python comes to run it (garbage collection, weakref, gc.callbacks, signal,
// log call), and the logging message points at the log call. Lines are checked by fixtures.test.mjs.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const { analyze } = createRequire(import.meta.url)('../dist/analysis.js');
const dir = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'python');

/** The one LO107 finding of a fixture file, and the file's lines. */
async function reentry(name) {
  const path = join(dir, name);
  const text = readFileSync(path, 'utf8');
  const found = (await analyze([{ path, text }])).findings.filter((f) => f.code === 'LO107');
  assert.equal(found.length, 1, `${name}: expected one LO107 finding`);
  return { finding: found[0], lines: text.split('\n') };
}

/** The 1-based line of the first code line (after the docstring) containing `snippet`. */
function lineOf(lines, snippet) {
  const docEnd = lines.findIndex((l, i) => i > 0 && l.includes('"""'));
  const i = lines.findIndex((l, j) => j > docEnd && l.includes(snippet));
  assert.ok(i >= 0, `no code line contains ${snippet}`);
  return i + 1;
}

const cases = [
  { name: 'LO107_finalizer_pool.py', lock: 'Pool._lock', entry: 'Connection.__del__', how: /garbage collection/i },
  { name: 'LO107_weakref_ref.py', lock: 'Registry._lock', entry: 'Registry._forget', how: /weakref/ },
  { name: 'LO107_weakref_finalize.py', lock: 'cache_lock', entry: 'evict', how: /weakref/ },
  { name: 'LO107_gc_callbacks.py', lock: 'stats_lock', entry: 'on_gc', how: /gc\.callbacks/ },
  { name: 'LO107_signal_handler.py', lock: 'state_lock', entry: 'on_term', how: /signal/i },
  { name: 'LO107_logging_handler.py', lock: 'audit_lock', entry: 'AuditHandler.emit', how: /log(ging)? (call|handler)/i },
];

for (const c of cases) {
  test(`${c.name}: the message names the lock, the entry point and the mechanism`, async () => {
    const { finding } = await reentry(c.name);
    assert.ok(finding.message.includes(`\`${c.lock}\``), finding.message);
    assert.ok(finding.message.includes(`\`${c.entry}\``), finding.message);
    assert.match(finding.message, c.how);
    assert.ok(finding.related.length > 0, 'no related site (where the lock is held)');
  });
}

test('registered callbacks name the registration as a related site', async () => {
  for (const [name, call] of [['LO107_weakref_ref.py', 'weakref.ref('], ['LO107_signal_handler.py', 'signal.signal('],
    ['LO107_gc_callbacks.py', 'gc.callbacks.append(']]) {
    const { finding, lines } = await reentry(name);
    const lines1 = finding.related.map((r) => r.location.range.start.line + 1);
    assert.ok(lines1.includes(lineOf(lines, call)), `${name}: the ${call}...) line is not among ${lines1.join(', ')}`);
  }
});

test('logging: the log call made under the lock is named, in the message and as a related site', async () => {
  for (const [name, call] of [['LO107_logging_handler.py', 'log.info('], ['LO107_logging_module_call.py', 'logging.warning(']]) {
    const { finding, lines } = await reentry(name);
    const at = lineOf(lines, call);
    assert.ok(finding.related.some((r) => r.location.range.start.line + 1 === at), `${name}: log call at ${at} not related`);
    assert.match(finding.message, new RegExp(`line ${at}\\b`), `${name}: the message should give the log call's line ${at}`);
  }
});
