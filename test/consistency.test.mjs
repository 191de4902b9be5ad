// Every rule in the registry has its docs (in the registry and in docs/rules/) and an entry in
// the `lockorder.rules` setting of package.json, and every entry of that setting is a rule.
// Also: every contributed command is registered by the client.

import assert from 'node:assert/strict';
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
      'lockorder.restart', 'lockorder.runTestsWithChecking', 'lockorder.runWithChecking', 'lockorder.showOutput',
      'lockorder.writeOrderFile',
    ]);
    for (const c of pkg.contributes.commands) {
      assert.equal(c.category, 'Lock Order');
      assert.ok(client.includes(`registerCommand('${c.command}'`), `client registers ${c.command}`);
    }
  });

  it('activates on Python, and runs in untrusted workspaces with the commands that run code restricted', () => {
    assert.ok(pkg.activationEvents.includes('onLanguage:python'));
    assert.ok(pkg.activationEvents.includes('workspaceContains:**/*.py'));
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
