// Tokenizes fixture files with vscode-textmate and vscode-oniguruma (the engine VS Code uses)
// and checks the scopes of key tokens of the order-file grammar and of the injection that
// highlights `# lockorder: ignore[...]` in Python comments.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const vsctm = require('vscode-textmate');
const oniguruma = require('vscode-oniguruma');
const root = join(fileURLToPath(import.meta.url), '..', '..');
const { ruleRegistry, runtimeRuleRegistry } = require('../dist/analysis.js');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

const grammarFiles = {
  'source.lockorder-order': join(root, 'syntaxes', 'lockorder-order.tmLanguage.json'),
  'lockorder.python.ignore': join(root, 'syntaxes', 'lockorder-python-ignore.tmLanguage.json'),
  'source.python': join(root, 'test', 'fixtures', 'grammars', 'python-comments.tmLanguage.json'),
};

let registry;
before(async () => {
  const wasm = readFileSync(join(require.resolve('vscode-oniguruma'), '..', 'onig.wasm')).buffer;
  await oniguruma.loadWASM(wasm);
  registry = new vsctm.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (sources) => new oniguruma.OnigScanner(sources),
      createOnigString: (s) => new oniguruma.OnigString(s),
    }),
    loadGrammar: async (scope) => {
      const file = grammarFiles[scope];
      return file ? vsctm.parseRawGrammar(readFileSync(file, 'utf8'), file) : null;
    },
    getInjections: (scope) => (scope === 'source.python' ? ['lockorder.python.ignore'] : []),
  });
});

/** Every token of a text as [text, scopes]. */
async function tokenize(scope, text) {
  const grammar = await registry.loadGrammar(scope);
  let state = vsctm.INITIAL;
  const out = [];
  for (const line of text.split('\n')) {
    const r = grammar.tokenizeLine(line, state);
    for (const t of r.tokens) out.push([line.slice(t.startIndex, t.endIndex), t.scopes]);
    state = r.ruleStack;
  }
  return out;
}

/** The scopes of the first token whose text is `text` (after `skip` earlier ones). */
function scopesOf(tokens, text, skip = 0) {
  const found = tokens.filter(([t]) => t === text)[skip];
  assert.ok(found, `a token "${text}" in ${JSON.stringify(tokens.map(([t]) => t))}`);
  return found[1];
}

describe('grammar: lockorder.order', () => {
  it('scopes comments, lock names, operators, wildcards and ascending-by', async () => {
    const tokens = await tokenize('source.lockorder-order', readFileSync(join(root, 'test', 'fixtures', 'grammars', 'sample.order'), 'utf8'));
    assert.ok(scopesOf(tokens, ' lockorder.order for the shop').includes('comment.line.number-sign.lockorder-order'));
    assert.ok(scopesOf(tokens, 'Pool').includes('entity.name.type.lock.lockorder-order'));
    assert.ok(scopesOf(tokens, '<').includes('keyword.operator.order.lockorder-order'));
    assert.ok(scopesOf(tokens, '=').includes('keyword.operator.group.lockorder-order'));
    assert.ok(scopesOf(tokens, 'ascending').includes('keyword.other.ascending.lockorder-order'));
    assert.ok(scopesOf(tokens, 'id').includes('variable.other.property.lockorder-order'));
    assert.ok(scopesOf(tokens, '*').includes('keyword.operator.wildcard.lockorder-order'));
    assert.ok(scopesOf(tokens, '[]').includes('punctuation.definition.family.lockorder-order'));
  });
});

describe('grammar: suppression comments injected into Python', () => {
  it('highlights the directive and each rule code, and nothing in plain comments', async () => {
    const tokens = await tokenize('source.python', readFileSync(join(root, 'test', 'fixtures', 'grammars', 'sample.py'), 'utf8'));
    const keyword = scopesOf(tokens, 'lockorder');
    assert.ok(keyword.includes('comment.line.number-sign.python'), 'still inside the Python comment');
    assert.ok(keyword.includes('keyword.other.lockorder.lockorder-ignore'));
    assert.ok(scopesOf(tokens, 'ignore').includes('keyword.control.ignore.lockorder-ignore'));
    assert.ok(scopesOf(tokens, 'LO101').includes('constant.other.rule-code.lockorder-ignore'));
    assert.ok(scopesOf(tokens, 'LO102').includes('constant.other.rule-code.lockorder-ignore'));
    assert.ok(scopesOf(tokens, 'lockorder', 1).includes('keyword.other.lockorder.lockorder-ignore'), 'the bare form too');
    const plain = tokens.filter(([t]) => t.includes('plain comment with LO101'));
    assert.equal(plain.length, 1, 'a code in an ordinary comment stays part of the comment');
    assert.ok(!plain[0][1].some((s) => s.includes('lockorder-ignore')));
  });

  it('highlights only the codes that exist; an unknown code is invalid', async () => {
    const codes = [...ruleRegistry, ...runtimeRuleRegistry].map((r) => r.code);
    const tokens = await tokenize('source.python', `x = 1  # lockorder: ignore[${codes.join(', ')}, LO999, LO1010, lo101]\n`);
    for (const code of [...codes, 'lo101']) {
      assert.ok(scopesOf(tokens, code).includes('constant.other.rule-code.lockorder-ignore'), code);
    }
    for (const code of ['LO999', 'LO1010']) {
      const scopes = scopesOf(tokens, code);
      assert.ok(scopes.some((s) => s.startsWith('invalid.illegal')), `${code}: ${scopes}`);
      assert.ok(!scopes.includes('constant.other.rule-code.lockorder-ignore'), code);
    }
  });
});

describe('grammar: contributed in package.json', () => {
  it('declares the order-file language and both grammars, and the files exist', () => {
    const lang = manifest.contributes.languages.find((l) => l.id === 'lockorder-order');
    assert.ok(lang && lang.filenames.includes('lockorder.order'));
    assert.ok(readFileSync(join(root, lang.configuration), 'utf8').includes('lineComment'));
    const grammars = manifest.contributes.grammars;
    const order = grammars.find((g) => g.language === 'lockorder-order');
    assert.equal(order.scopeName, 'source.lockorder-order');
    const injection = grammars.find((g) => g.scopeName === 'lockorder.python.ignore');
    assert.deepEqual(injection.injectTo, ['source.python']);
    for (const g of grammars) assert.ok(readFileSync(join(root, g.path), 'utf8').length > 0);
  });
});
