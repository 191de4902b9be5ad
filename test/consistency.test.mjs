// Every rule in the registry has its docs (in the registry and in docs/rules/) and an entry in
// the `lockorder.rules` setting of package.json, and every entry of that setting is a rule.
// Also: every contributed command is registered by the client; it activates for every language it serves; the icon, the walkthrough pages and
// the users' README (docs/marketplace/README.md) exist and are in the .vsix, the developers' README is not.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { root } from './lsp-client.mjs';

const { ruleRegistry, ruleDocsUrl } = createRequire(import.meta.url)('../dist/analysis.js');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const settings = pkg.contributes.configuration.properties;
const ruleSettings = settings['lockorder.rules'];

describe('consistency: rules, docs and settings', () => {
  it('the registry is not empty and its codes are unique', () => {
    assert.ok(ruleRegistry.length > 0);
    assert.equal(new Set(ruleRegistry.map((r) => r.code)).size, ruleRegistry.length);
  });

  for (const rule of ruleRegistry) {
    it(`${rule.code} has complete docs in the registry and a generated page`, () => {
      for (const field of ['whatItDoes', 'whyIsThisBad', 'example', 'useInstead', 'fixSafety']) {
        assert.equal(typeof rule.docs[field], 'string', `${rule.code}.docs.${field}`);
        assert.ok(rule.docs[field].trim().length > 0, `${rule.code}.docs.${field} is empty`);
      }
      assert.ok(rule.summary.trim().length > 0);
      const page = join(root, 'docs', 'rules', `${rule.code}.md`);
      assert.ok(existsSync(page), `docs/rules/${rule.code}.md exists (npm run docs)`);
      assert.match(readFileSync(page, 'utf8'), new RegExp(`^# ${rule.code} ${rule.name}$`, 'm'));
      assert.match(ruleDocsUrl(rule.code), new RegExp(`/docs/rules/${rule.code}\\.md$`), 'codeDescription.href points at that page');
    });

    it(`${rule.code} has a lockorder.severity.${rule.code} setting for the settings UI`, () => {
      const entry = settings[`lockorder.severity.${rule.code}`];
      assert.ok(entry, `package.json: lockorder.severity.${rule.code}`);
      assert.equal(entry.type, 'string');
      assert.equal(entry.default, 'default');
      assert.deepEqual(entry.enum, ['default', 'error', 'warning', 'information', 'hint', 'off']);
      assert.equal(entry.enumDescriptions.length, entry.enum.length);
      assert.match(entry.markdownDescription, new RegExp(rule.name));
    });

    it(`${rule.code} has a lockorder.rules setting entry`, () => {
      const entry = ruleSettings.properties[rule.code];
      assert.ok(entry, `package.json: lockorder.rules.properties.${rule.code}`);
      assert.equal(entry.properties.enabled.type, 'boolean');
      assert.deepEqual(entry.properties.severity.enum, ['error', 'warning', 'information', 'hint']);
      assert.match(entry.description, new RegExp(rule.name));
    });
  }

  it('every lockorder.rules setting entry is a rule of the registry, and no other key is accepted', () => {
    const codes = new Set(ruleRegistry.map((r) => r.code));
    for (const key of Object.keys(ruleSettings.properties)) assert.ok(codes.has(key), `setting for unknown rule ${key}`);
    assert.equal(ruleSettings.additionalProperties, false);
  });

  it('every lockorder.severity.* setting is a rule of the registry', () => {
    const codes = new Set(ruleRegistry.map((r) => r.code));
    const keys = Object.keys(settings).filter((k) => k.startsWith('lockorder.severity.'));
    assert.equal(keys.length, codes.size);
    for (const key of keys) assert.ok(codes.has(key.slice('lockorder.severity.'.length)), `setting for unknown rule ${key}`);
  });

  it('the settings the server reads are all declared', () => {
    for (const key of ['lockorder.enable', 'lockorder.rules', 'lockorder.exclude', 'lockorder.runtime.reports', 'lockorder.python.interpreter', 'lockorder.trace.server']) {
      assert.ok(settings[key], `package.json declares ${key}`);
    }
  });
});

describe('consistency: extension manifest', () => {
  const client = readFileSync(join(root, 'client', 'src', 'extension.ts'), 'utf8');

  it('every contributed command is registered by the client, in the "Lock Order" category', () => {
    const ids = pkg.contributes.commands.map((c) => c.command);
    assert.deepEqual(ids.sort(), [
      'lockorder.checkWorkspace', 'lockorder.clearRuntimeReports', 'lockorder.fixAllInWorkspace', 'lockorder.installRuntime',
      'lockorder.restart', 'lockorder.runTestsWithChecking', 'lockorder.runWithChecking', 'lockorder.showGraph', 'lockorder.showOutput',
      'lockorder.writeOrderFile',
    ]);
    for (const c of pkg.contributes.commands) {
      assert.equal(c.category, 'Lock Order');
      assert.ok(client.includes(`registerCommand('${c.command}'`), `client registers ${c.command}`);
    }
  });

  it('activates on Python, TypeScript and JavaScript, and runs in untrusted workspaces with the commands that run code restricted', () => {
    const languages = readFileSync(join(root, 'client', 'src', 'languages.ts'), 'utf8');
    const ids = JSON.parse(languages.match(/sourceLanguages = (\[[^\]]*\])/)[1].replace(/'/g, '"'));
    assert.deepEqual(ids, ['python', 'typescript', 'javascript', 'typescriptreact', 'javascriptreact']);
    const onLanguage = pkg.activationEvents.filter((e) => e.startsWith('onLanguage:')).map((e) => e.slice('onLanguage:'.length));
    assert.deepEqual(onLanguage.sort(), [...ids].sort(), 'an onLanguage event for each language the client serves');
    assert.ok(pkg.activationEvents.includes('workspaceContains:**/*.py'));
    assert.ok(pkg.activationEvents.includes('workspaceContains:**/tsconfig.json'));
    assert.equal(pkg.capabilities.untrustedWorkspaces.supported, 'limited');
    const restricted = pkg.capabilities.untrustedWorkspaces.restrictedConfigurations;
    for (const key of ['lockorder.python.interpreter', 'lockorder.runtime.reports', 'lockorder.orderFile']) {
      assert.ok(restricted.includes(key), `${key} is restricted`);
    }
    assert.equal(pkg.main, './dist/client.js');
  });

  it('offers the commands that run code only in trusted workspaces, and they refuse otherwise', () => {
    const palette = pkg.contributes.menus.commandPalette;
    for (const id of ['lockorder.runWithChecking', 'lockorder.runTestsWithChecking', 'lockorder.installRuntime']) {
      const entry = palette.find((m) => m.command === id);
      assert.ok(entry && /isWorkspaceTrusted/.test(entry.when), `${id} is shown only in trusted workspaces`);
    }
    const checks = (file) => readFileSync(join(root, 'client', 'src', file), 'utf8').match(/if \(!trusted\(\)\) return;/g)?.length ?? 0;
    assert.equal(checks('runCommands.ts'), 2, 'run and run tests each check trust and explain themselves');
    assert.equal(checks('installRuntime.ts'), 1, 'the install command checks trust and explains itself');
  });

});

describe('consistency: icon, walkthrough and the users\' README, in the .vsix', () => {
  /** The files `npm run package` puts in the .vsix, as `vsce ls` lists them with the same README. */
  const packed = () => {
    const readme = /const readme = '([^']+)'/.exec(readFileSync(join(root, 'scripts', 'package.mjs'), 'utf8'))?.[1];
    assert.ok(readme, 'scripts/package.mjs names the README it ships');
    const vsce = join(root, 'node_modules', '.bin', 'vsce');
    const run = spawnSync(vsce, ['ls', '--no-dependencies', '--readme-path', readme], { cwd: root, encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    return { readme, files: run.stdout.split('\n').map((l) => l.trim()).filter(Boolean) };
  };
  const steps = (pkg.contributes.walkthroughs ?? []).flatMap((w) => w.steps);
  const media = steps.flatMap((s) => Object.values(s.media ?? {})).filter((v) => typeof v === 'string' && /\.(md|png|svg)$/.test(v));

  it('the icon is a square PNG of 128 or 256 pixels', () => {
    assert.ok(pkg.icon, 'package.json declares an icon');
    const png = readFileSync(join(root, pkg.icon));
    assert.equal(png.subarray(1, 4).toString('latin1'), 'PNG', `${pkg.icon} is a PNG`);
    const [width, height] = [png.readUInt32BE(16), png.readUInt32BE(20)];
    assert.ok(width === height && (width === 128 || width === 256), `${pkg.icon} is ${width}×${height}`);
  });

  it('one walkthrough of 3 to 4 steps, each with its page, and its command links name real commands', () => {
    assert.equal(pkg.contributes.walkthroughs?.length, 1);
    assert.ok(steps.length >= 3 && steps.length <= 4, `${steps.length} steps`);
    for (const step of steps) {
      assert.ok(step.media?.markdown || step.media?.image, `step ${step.id} has media`);
      for (const [, id] of step.description.matchAll(/\(command:(lockorder\.[\w.]+)/g)) {
        assert.ok(pkg.contributes.commands.some((c) => c.command === id), `step ${step.id} links to ${id}, which is contributed`);
      }
    }
    for (const file of media) assert.ok(existsSync(join(root, file)), `${file} exists`);
  });

  it('the .vsix holds the icon, the walkthrough pages and the users\' README, not the developers\' README', () => {
    const { readme, files } = packed();
    assert.match(readme, /^docs\/marketplace\//);
    for (const file of [pkg.icon, readme, ...media]) assert.ok(files.includes(file), `${file} is packed`);
    assert.ok(!files.includes('README.md'), 'the developers\' README.md is not packed');
    assert.ok(!files.some((f) => f.startsWith('images/') && f !== pkg.icon), 'only the icon of images/ is packed');
  });

  it('the users\' README says what it finds, the commands, the settings, the three run steps and privacy', () => {
    const text = readFileSync(join(root, packed().readme), 'utf8');
    for (const code of ruleRegistry.map((r) => r.code)) assert.ok(text.includes(code), `it names ${code}`);
    for (const c of pkg.contributes.commands) assert.ok(text.includes(c.title), `it names the command "${c.title}"`);
    for (const key of Object.keys(settings).filter((k) => k !== 'lockorder.trace.server')) assert.ok(text.includes(`\`${key}\``), `it names the setting ${key}`);
    assert.match(text, /runs nothing unless you ask/i);
    assert.match(text, /reads only the workspace/i);
    assert.doesNotMatch(text, /npm (ci|test|run)/, 'nothing for developers');
  });
});
