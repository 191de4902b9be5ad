// Checks that the committed rule docs (docs/rules/) match what scripts/gen-docs.mjs would
// write from the rule registry today, so the prose lives only in the rules.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderRuleDocs } from '../scripts/rule-docs.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { ruleRegistry, runtimeRuleRegistry, ruleDocsUrl } = createRequire(import.meta.url)('../dist/analysis.js');
const dir = join(root, 'docs', 'rules');
const pages = renderRuleDocs(ruleRegistry, runtimeRuleRegistry);
const stale = 'is out of date; run `npm run docs`';

test('every registered rule, and the run-time-only LO110, has a docs page with every section', () => {
  assert.ok(ruleRegistry.length > 0, 'the registry is empty');
  assert.deepEqual(runtimeRuleRegistry.map((r) => r.code), ['LO110']);
  for (const rule of [...ruleRegistry, ...runtimeRuleRegistry]) {
    const page = pages.get(`${rule.code}.md`);
    for (const section of ['## What it does', '## Why is this bad?', '## Example', '## Use instead', '## Fix safety']) {
      assert.ok(page.includes(section), `${rule.code}.md lacks "${section}"`);
    }
    for (const [key, text] of Object.entries(rule.docs)) {
      assert.ok(text.trim().length > 0, `${rule.code} has empty docs.${key}`);
    }
  }
});

for (const [name, expected] of pages) {
  test(`docs/rules/${name} matches the registry`, () => {
    const file = join(dir, name);
    assert.ok(existsSync(file), `docs/rules/${name} is missing; run \`npm run docs\``);
    assert.equal(readFileSync(file, 'utf8'), expected, `docs/rules/${name} ${stale}`);
  });
}

test('docs/rules has no page for a rule that does not exist', () => {
  const extra = readdirSync(dir).filter((n) => n.endsWith('.md') && !pages.has(n));
  assert.deepEqual(extra, [], `stale pages in docs/rules: ${extra.join(', ')}`);
});

test('ruleDocsUrl points at the generated page, in the repository package.json declares', () => {
  const { repository } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  assert.ok(repository?.url, 'package.json declares a repository');
  const home = repository.url.replace(/^git\+/, '').replace(/\.git$/, '');
  for (const rule of [...ruleRegistry, ...runtimeRuleRegistry]) {
    assert.equal(ruleDocsUrl(rule.code), `${home}/blob/main/docs/rules/${rule.code}.md`);
    assert.ok(pages.has(`${rule.code}.md`), `no page for ${rule.code}`);
  }
});
