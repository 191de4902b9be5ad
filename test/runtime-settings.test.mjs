// The lockorder.runtime.watchdogSeconds and lockorder.runtime.raise settings reach the run
// commands: package.json contributes them, client/src/runtimeArgs.ts turns them into options,
// and those options, given to the real `python3 -m lockorder run` and to pytest with the
// plugin, make a program that deadlocks by joining under a lock end with an LO110 report
// instead of hanging (each run has a timeout, so a hang fails the test).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { root } from './lsp-client.mjs';

const require = createRequire(import.meta.url);
const { buildSync } = require('esbuild');

/** client/src/runtimeArgs.ts, compiled in memory and loaded. */
function loadRuntimeArgs() {
  const out = buildSync({ entryPoints: [join(root, 'client', 'src', 'runtimeArgs.ts')], bundle: true,
    platform: 'node', format: 'cjs', write: false, logLevel: 'silent' });
  const module = { exports: {} };
  new Function('module', 'exports', 'require', out.outputFiles[0].text)(module, module.exports, require);
  return module.exports;
}

const JOIN_DEADLOCK = `
import threading
lock = threading.Lock()

def worker():
    with lock:
        pass

def deadlock():
    t = threading.Thread(target=worker, name="worker")
    with lock:
        t.start()
        t.join()

if __name__ == "__main__":
    deadlock()
`;

/** Every record in the report files of a folder. */
function records(dir) {
  let names = [];
  try { names = readdirSync(dir); } catch { return []; }
  return names.filter((n) => n.endsWith('.jsonl'))
    .flatMap((n) => readFileSync(join(dir, n), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l)));
}

/** Run python3 with the bundled runtime on PYTHONPATH in `cwd`, at most 60 s. */
function python(args, cwd) {
  const env = { ...process.env, PYTHONPATH: join(root, 'runtime', 'python') };
  for (const name of Object.keys(env)) if (name.startsWith('LOCKORDER')) delete env[name];
  return spawnSync('python3', args, { cwd, env, encoding: 'utf8', timeout: 60_000 });
}

describe('run-time settings reach the run commands', () => {
  const { runOptions, pytestOptions } = loadRuntimeArgs();

  it('package.json contributes lockorder.runtime.watchdogSeconds and lockorder.runtime.raise', () => {
    const props = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).contributes.configuration.properties;
    assert.equal(props['lockorder.runtime.watchdogSeconds'].type, 'number');
    assert.equal(props['lockorder.runtime.watchdogSeconds'].default, 10);
    assert.equal(props['lockorder.runtime.watchdogSeconds'].minimum, 0);
    assert.equal(props['lockorder.runtime.raise'].type, 'boolean');
    assert.equal(props['lockorder.runtime.raise'].default, false);
  });

  it('both run commands pass the settings', () => {
    const source = readFileSync(join(root, 'client', 'src', 'runCommands.ts'), 'utf8');
    assert.match(source, /'run', '--report-dir', reportDir, \.\.\.runOptions\(runtimeSettings\(doc\.uri\)\)/);
    assert.match(source, /\.\.\.pytestOptions\(runtimeSettings\(folder\.uri\)\)/);
    assert.match(source, /config\.get\('runtime\.watchdogSeconds'\)/);
    assert.match(source, /config\.get\('runtime\.raise'\)/);
  });

  it('defaults, and a bad watchdog value falls back to the default', () => {
    assert.deepEqual(runOptions({ watchdogSeconds: undefined, raise: undefined }), ['--watchdog', '10']);
    assert.deepEqual(runOptions({ watchdogSeconds: -3, raise: 'yes' }), ['--watchdog', '10']);
    assert.deepEqual(pytestOptions({ watchdogSeconds: 0, raise: false }), ['--lockorder-watchdog', '0']);
  });

  it('Run with Lock-Order Checking: a join under a lock ends with LO110 (watchdog 1 s, raise)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lockorder-settings-'));
    try {
      writeFileSync(join(dir, 'prog.py'), JOIN_DEADLOCK);
      const reports = join(dir, 'reports');
      const args = ['-m', 'lockorder', 'run', '--report-dir', reports,
        ...runOptions({ watchdogSeconds: 1, raise: true }), 'prog.py'];
      const run = python(args, dir);
      assert.equal(run.error, undefined, 'the run ended');
      assert.match(run.stderr, /DeadlockError/);
      assert.deepEqual(records(reports).map((r) => r.rule), ['LO110']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('Run Tests: the same deadlock in a pytest test ends with LO110 (watchdog 1 s, raise)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lockorder-settings-'));
    try {
      writeFileSync(join(dir, 'test_join.py'), `${JOIN_DEADLOCK}\n\ndef test_join():\n    deadlock()\n`);
      const reports = join(dir, 'reports');
      const args = ['-m', 'pytest', '-q', '-p', 'no:cacheprovider', '-p', 'lockorder.pytest_plugin',
        '--lockorder-report-dir', reports, ...pytestOptions({ watchdogSeconds: 1, raise: true }), 'test_join.py'];
      const run = python(args, dir);
      assert.equal(run.error, undefined, 'the run ended');
      assert.equal(run.status, 1, run.stdout + run.stderr);
      assert.deepEqual(records(reports).map((r) => r.rule), ['LO110']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
