// Starts and stops code-server (the real VS Code workbench, served over HTTP) for the editor
// tests: its own config, user data and extensions folders, the packaged .vsix installed, and the
// process group started under setsid so that stopping it ends the extension host and our server.

import { spawn, spawnSync } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

/**
 * User settings that keep the workbench quiet (no start page, AI features, tips, trust prompt or
 * updates) and make typing predictable.
 */
const userSettings = {
  'workbench.startupEditor': 'none',
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'chat.disableAIFeatures': true,
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'telemetry.telemetryLevel': 'off',
  'workbench.enableExperiments': false,
  'workbench.tips.enabled': false,
  'security.workspace.trust.enabled': false,
  'files.autoSave': 'off',
  // Typing in the tests spells out its own indentation, and Enter always starts a new line.
  'editor.autoIndent': 'none',
  'editor.acceptSuggestionOnEnter': 'off',
  // The terminal draws with the DOM renderer, so the tests can read what a run printed.
  'terminal.integrated.gpuAcceleration': 'off',
};

const flags = ['--disable-telemetry', '--disable-update-check', '--disable-getting-started-override'];

/** A free TCP port on 127.0.0.1. */
function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

/**
 * Start code-server on `workspace` with the extension `vsix` installed. Files go under `dir`.
 * Returns { url, logTail(lines), stop() }; `url` opens the workspace folder.
 */
export async function startCodeServer({ node24, codeServer, vsix, workspace, dir }) {
  const port = await freePort();
  const userData = join(dir, 'user-data');
  const extensions = join(dir, 'extensions');
  const config = join(dir, 'config.yaml');
  const log = join(dir, 'code-server.log');
  mkdirSync(join(userData, 'User'), { recursive: true });
  mkdirSync(extensions, { recursive: true });
  writeFileSync(config, `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);
  writeFileSync(join(userData, 'User', 'settings.json'), JSON.stringify(userSettings, null, 2));
  const base = [codeServer, '--config', config, '--user-data-dir', userData, '--extensions-dir', extensions, ...flags];

  const install = spawnSync(node24, [...base, '--install-extension', vsix], { encoding: 'utf8', timeout: 60_000 });
  if (install.status !== 0) throw new Error(`code-server --install-extension failed:\n${install.stdout}\n${install.stderr}`);

  const out = openSync(log, 'a');
  // detached: the child calls setsid(), so it leads its own process group.
  const proc = spawn(node24, [...base, workspace], { detached: true, stdio: ['ignore', out, out] });
  closeSync(out);
  const logTail = (lines = 40) => readFileSync(log, 'utf8').split('\n').slice(-lines).join('\n');
  const stop = () => { try { process.kill(-proc.pid, 'SIGTERM'); } catch { /* already gone */ } };

  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`code-server exited with ${proc.exitCode}:\n${logTail()}`);
    try {
      if ((await fetch(`${url}/healthz`)).ok) break;
    } catch { /* not listening yet */ }
    if (Date.now() > deadline) { stop(); throw new Error(`code-server did not answer /healthz in 30 s:\n${logTail()}`); }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { url: `${url}/?folder=${encodeURIComponent(workspace)}`, log, logTail, stop };
}
