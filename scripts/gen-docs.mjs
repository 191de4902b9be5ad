// Writes docs/rules/<CODE>.md for every rule in the registry, plus docs/rules/README.md,
// from the built engine (dist/analysis.js). Run with `npm run docs` (which builds first).

import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderRuleDocs } from './rule-docs.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { ruleRegistry, runtimeRuleRegistry } = createRequire(import.meta.url)(join(root, 'dist', 'analysis.js'));
const dir = join(root, 'docs', 'rules');
mkdirSync(dir, { recursive: true });

const pages = renderRuleDocs(ruleRegistry, runtimeRuleRegistry);
for (const name of readdirSync(dir)) {
  if (name.endsWith('.md') && !pages.has(name)) {
    rmSync(join(dir, name));
    console.log(`removed docs/rules/${name} (no such rule)`);
  }
}
for (const [name, text] of pages) writeFileSync(join(dir, name), text);
console.log(`wrote ${pages.size} files to docs/rules/`);
