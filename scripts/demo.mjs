// What `npm start` runs after the build: checks examples/ with the CLI, then (when the
// Python runtime is present) runs examples/runtime_demo.py under the runtime recorder, then
// runs examples/node_runtime_demo.mjs under the Node runtime (`lockorder run`).
// Findings are the point of the demo, so exit 0; a command that fails otherwise exits 1.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Print a heading, run a command with the terminal as its output, return its status. */
function step(title, command, args, env = {}) {
  const shown = command === process.execPath ? 'node' : command;
  console.log(`\n== ${title}`);
  console.log(`$ ${Object.entries(env).map(([k, v]) => `${k}=${v} `).join('')}${shown} ${args.join(' ')}\n`);
  const run = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  if (run.error) return { ok: false, why: `${command} could not start: ${run.error.message}` };
  if (run.signal) return { ok: false, why: `${command} was killed by ${run.signal}` };
  return { ok: true, status: run.status };
}

/** Run the demo; returns the process exit code. */
function main() {
  console.log('lockorder demo: static check of examples/, then the runtime recorder');
  const failures = [];

  const check = step('Static check: lockorder check examples', process.execPath, ['dist/cli.js', 'check', 'examples']);
  if (!check.ok) failures.push(check.why);
  else if (check.status !== 0 && check.status !== 1) failures.push(`lockorder check exited with ${check.status}`);

  const demo = join(root, 'examples', 'runtime_demo.py');
  const runtime = join(root, 'runtime', 'python', 'lockorder', '__main__.py');
  if (existsSync(demo) && existsSync(runtime)) {
    // The report directory is kept: the runtime's summary names the report file in it.
    const reportDir = mkdtempSync(join(tmpdir(), 'lockorder-demo-'));
    const run = step('Runtime: python3 -m lockorder run examples/runtime_demo.py', 'python3',
      ['-m', 'lockorder', 'run', '--report-dir', reportDir, 'examples/runtime_demo.py'],
      { PYTHONPATH: join('runtime', 'python') });
    if (!run.ok) failures.push(run.why);
    else if (run.status !== 0) failures.push(`python3 -m lockorder run exited with ${run.status}`);
  } else {
    console.log('\n(runtime demo skipped: examples/runtime_demo.py or runtime/python/lockorder/__main__.py is missing)');
  }

  const nodeDemo = join(root, 'examples', 'node_runtime_demo.mjs');
  if (existsSync(nodeDemo)) {
    const reportDir = mkdtempSync(join(tmpdir(), 'lockorder-node-demo-'));
    const run = step('Node runtime: lockorder run examples/node_runtime_demo.mjs', process.execPath,
      ['dist/cli.js', 'run', '--report-dir', reportDir, 'examples/node_runtime_demo.mjs']);
    if (!run.ok) failures.push(run.why);
    else if (run.status !== 0) failures.push(`lockorder run exited with ${run.status}`);
  }

  if (failures.length > 0) {
    for (const f of failures) console.error(`demo: ${f}`);
    return 1;
  }
  console.log('\ndemo finished: the findings above are what the examples are there to show.');
  return 0;
}

process.exitCode = main();
