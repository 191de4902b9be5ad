// Runs the built CLI's `lockorder graph` on a small program with a cycle, an acquire() group,
// an edge against a declared order and a folder whose name needs escaping. Each format is
// checked by parsing what it prints: dot with a small parser below, Mermaid line by line
// against its statement syntax, JSON against the shape docs/cli.md documents. Also selection
// (--cycles, --focus, --depth), --order-file, and the exit codes (0 with cycles, 2 on bad input).

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { cleanup, project, run } from './cli-run.mjs';

after(cleanup);

const app = `import threading
import lockorder

a = threading.Lock()
b = threading.Lock()
c = threading.RLock()
d = threading.Lock()


def one():
    with a:
        with b:
            with c:
                pass


def two():
    with b:
        with a:
            pass


def three():
    with lockorder.acquire(c, d):
        pass
`;

/** A folder whose name has every character that dot and Mermaid labels treat specially. */
const oddDir = 'we"ird #<dir> [x] |y| \\z';

const odd = `import threading

x = threading.Lock()
y = threading.Lock()


def nest():
    with x:
        with y:
            pass
`;

/** A module whose name (its file's) needs escaping too. */
const oddModule = 'q"uote #<b> |c| [d] {e} (f) `g` &h; \\z';

/** The project: app.py (cycle a <-> b, group c+d), the odd folder and module, and an order putting c before a. */
function sample() {
  return project({ 'app.py': app, [`${oddDir}/mod.py`]: odd, [`${oddModule}.py`]: odd, 'declared.order': 'app.c\napp.a\n' });
}

/** Run `lockorder graph ARGS` in `dir`; it must exit 0. */
function graph(dir, args) {
  const r = run(['graph', ...args], dir);
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}

/** The JSON graph of `dir` with `args`. */
function jsonGraph(dir, args = []) {
  return JSON.parse(graph(dir, ['--format', 'json', ...args]));
}

/** Names of the nodes of a JSON graph, sorted. */
const names = (g) => g.nodes.map((n) => n.name).sort();
/** "from -> to" by name for each edge of a JSON graph, sorted. */
function pairs(g) {
  const name = new Map(g.nodes.map((n) => [n.id, n.name]));
  return g.edges.map((e) => `${name.get(e.from)} -> ${name.get(e.to)}`).sort();
}

test('json: nodes, edges, cycles and clusters have the documented shape, with relative paths', () => {
  const g = jsonGraph(sample());
  assert.equal(g.version, 1);
  assert.deepEqual(names(g), ['app.a', 'app.b', 'app.c', 'app.d', 'mod.x', 'mod.y', `${oddModule}.x`, `${oddModule}.y`].sort());
  const ids = new Set(g.nodes.map((n) => n.id));
  for (const n of g.nodes) {
    assert.equal(typeof n.id, 'string');
    assert.match(n.kind, /^(Lock|RLock)$/);
    assert.equal(typeof n.family, 'boolean');
    assert.deepEqual(Object.keys(n.created).sort(), ['col', 'file', 'line']);
    assert.ok(!n.created.file.startsWith('/'), `relative path: ${n.created.file}`);
    assert.equal(n.id, `${n.created.file}:${n.created.line}:${n.created.col}`);
  }
  const a = g.nodes.find((n) => n.name === 'app.a');
  assert.deepEqual(a.created, { file: 'app.py', line: 4, col: 5 });
  assert.equal(g.nodes.find((n) => n.name === 'mod.x').created.file, `${oddDir}/mod.py`);
  for (const e of g.edges) {
    assert.ok(ids.has(e.from) && ids.has(e.to), 'edge ends are nodes');
    assert.equal(e.count, e.sites.length);
    for (const s of e.sites) assert.deepEqual(Object.keys(s).sort(), ['col', 'file', 'function', 'line', 'where']);
  }
  assert.deepEqual(pairs(g), ['app.a -> app.b', 'app.a -> app.c', 'app.b -> app.a', 'app.b -> app.c', 'mod.x -> mod.y',
    `${oddModule}.x -> ${oddModule}.y`].sort());
  const back = g.edges.find((e) => e.from === a.id && e.onCycle === false);
  assert.equal(back.sites[0].function, 'one');
  assert.deepEqual(g.edges.filter((e) => e.onCycle).map((e) => e.sites[0].line).sort(), [12, 19]);
  assert.equal(g.cycles.length, 1);
  assert.deepEqual(g.cycles[0].map((id) => g.nodes.find((n) => n.id === id).name).sort(), ['app.a', 'app.b']);
  assert.deepEqual(g.clusters.map((c) => c.locks.map((id) => g.nodes.find((n) => n.id === id).name)), [['app.c', 'app.d']]);
  assert.ok(g.edges.every((e) => e.declaredOrderViolation === false), 'no order file: nothing against it');
});

test('json: --order-file marks the edge that goes against the declared order (LO106)', () => {
  const g = jsonGraph(sample(), ['--order-file', 'declared.order']);
  const name = new Map(g.nodes.map((n) => [n.id, n.name]));
  const marked = g.edges.filter((e) => e.declaredOrderViolation).map((e) => `${name.get(e.from)} -> ${name.get(e.to)}`);
  assert.deepEqual(marked, ['app.a -> app.c']);
});

test('--cycles keeps only the locks and edges on a cycle', () => {
  const g = jsonGraph(sample(), ['--cycles']);
  assert.deepEqual(names(g), ['app.a', 'app.b']);
  assert.deepEqual(pairs(g), ['app.a -> app.b', 'app.b -> app.a']);
  assert.equal(g.cycles.length, 1);
  assert.deepEqual(g.clusters, []);
});

test('--focus keeps the lock and its neighbours up to --depth', () => {
  const dir = sample();
  assert.deepEqual(names(jsonGraph(dir, ['--focus', 'app.c'])), ['app.a', 'app.b', 'app.c']);
  assert.deepEqual(names(jsonGraph(dir, ['--focus', 'd', '--depth', '0'])), ['app.d']);
  assert.deepEqual(names(jsonGraph(dir, ['--focus', 'mod.y', '--depth', '3'])), ['mod.x', 'mod.y']);
  assert.deepEqual(names(jsonGraph(dir, ['--focus', 'app.c', '--depth', '2'])), ['app.a', 'app.b', 'app.c']);
});

test('bad input exits 2 with one clear line; a graph with cycles exits 0', () => {
  const dir = sample();
  assert.equal(run(['graph'], dir).status, 0);
  const cases = [
    [['--focus', 'nope'], 'lockorder: --focus: no lock named nope'],
    [['--focus', 'app.a', '--depth', '-1'], 'lockorder: bad --depth: -1 (expected a whole number from 0 to 9999)'],
    [['--focus', 'app.a', '--depth', 'two'], 'lockorder: bad --depth: two (expected a whole number from 0 to 9999)'],
    [['--depth', '2'], 'lockorder: --depth needs --focus LOCK'],
    [['--format', 'png'], 'lockorder: unknown graph format: png (expected one of: dot, mermaid, json)'],
    [['missing.py'], 'lockorder: no such file or directory: missing.py'],
    [['--order-file', 'missing.order'], 'lockorder: cannot read order file missing.order: no such file'],
  ];
  for (const [args, first] of cases) {
    const r = run(['graph', ...args], dir);
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.equal(r.stdout, '');
    assert.ok(r.stderr.split('\n')[0].startsWith(first), `${args.join(' ')}: ${r.stderr}`);
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  }
});

test('dot: parses; cycle locks and edges are red, the cycle edge points up, LO106 dashed, the group a cluster', () => {
  const text = graph(sample(), ['--format', 'dot', '--order-file', 'declared.order']);
  const dot = parseDot(text);
  // (Graphviz itself renders it in test/e2e/graphviz.e2e.mjs, where the setup installs it.)
  const byLabel = (name) => [...dot.nodes.values()].find((n) => n.attrs.label.split('\n')[0] === name);
  const a = byLabel('app.a');
  const b = byLabel('app.b');
  const c = byLabel('app.c');
  const x = byLabel('mod.x');
  assert.equal(a.attrs.color, '#d62728');
  assert.equal(b.attrs.color, '#d62728');
  assert.equal(c.attrs.color, undefined);
  assert.equal(x.attrs.label, `mod.x\nLock\nmod.py:3`);
  assert.equal(x.attrs.tooltip, `${oddDir}/mod.py:3:5`, 'quotes, #, <>, brackets, bars and backslashes survive');
  const edge = (from, to) => dot.edges.find((e) => e.from === from.id && e.to === to.id);
  assert.equal(edge(a, b).attrs.color, '#d62728');
  assert.equal(edge(b, a).attrs.color, '#d62728');
  assert.equal(edge(b, a).attrs.constraint, 'false', 'the edge closing the cycle does not rank b above a: it points up');
  assert.equal(edge(a, b).attrs.constraint, undefined);
  assert.equal(edge(a, c).attrs.style, 'dashed');
  assert.match(edge(a, c).attrs.xlabel, /LO106/);
  assert.equal(edge(b, a).attrs.xlabel, 'two app.py:19');
  assert.equal(dot.edges.length, 6);
  assert.equal(byLabel(`${oddModule}.x`).attrs.label, `${oddModule}.x\nLock\n${oddModule}.py:3`, 'a module name that needs escaping survives');
  assert.deepEqual(dot.clusters.map((cl) => [cl.name, cl.attrs.label, cl.nodes.map((id) => dot.nodes.get(id).attrs.label.split('\n')[0]).sort()]),
    [['cluster_acquire1', 'acquire(c, d)', ['app.c', 'app.d']]]);
});

test('mermaid: every line is a flowchart statement; labels are quoted; cycle styled red', () => {
  const text = graph(sample(), ['--format', 'mermaid', '--order-file', 'declared.order']);
  const m = checkMermaid(text);
  const label = (id) => m.nodes.get(id).split('\n')[0];
  const idOf = (name) => [...m.nodes.keys()].find((id) => label(id) === name);
  assert.equal(m.edges.length, 6);
  assert.equal(m.nodes.get(idOf(`${oddModule}.x`)), `${oddModule}.x\nLock\n${oddModule}.py:3`, 'a module name that needs escaping survives');
  assert.ok(m.nodes.get(idOf('mod.x')));
  const red = new Set(m.linkStyles.filter((s) => s.style.includes('#d62728')).flatMap((s) => s.indices));
  const redPairs = [...red].map((i) => `${label(m.edges[i].from)} -> ${label(m.edges[i].to)}`).sort();
  assert.deepEqual(redPairs, ['app.a -> app.b', 'app.b -> app.a']);
  assert.deepEqual(m.classes.get('cycle').map(label).sort(), ['app.a', 'app.b']);
  const dotted = m.edges.filter((e) => e.arrow === '-.->').map((e) => `${label(e.from)} -> ${label(e.to)}`);
  assert.deepEqual(dotted, ['app.a -> app.c']);
  assert.deepEqual(m.subgraphs.map((s) => [s.label, s.nodes.map(label).sort()]), [['acquire(c, d)', ['app.c', 'app.d']]]);
  assert.equal(m.edges.find((e) => label(e.from) === 'mod.x').label, 'nest mod.py:9');
  assert.equal(m.subgraphs[0].label, 'acquire(c, d)', 'brackets in a label are escaped and come back');
});

// ---- a small dot parser: the subset of the language `lockorder graph` may write ----

/** Split dot text into tokens: ids, quoted strings (unescaped), `->` and punctuation. */
function dotTokens(text) {
  const out = [];
  const re = /\s+|\/\/[^\n]*|"((?:[^"\\]|\\.)*)"|(->)|([{}[\];,=])|([A-Za-z_][\w.]*|-?\d+(?:\.\d+)?)|(.)/gsy;
  let m;
  while ((m = re.exec(text))) {
    if (m[5] !== undefined) throw new Error(`dot: unexpected character ${JSON.stringify(m[5])} at ${m.index}`);
    if (m[1] !== undefined) out.push({ kind: 'id', value: unescapeDot(m[1]) });
    else if (m[2] || m[3]) out.push({ kind: 'punct', value: m[2] ?? m[3] });
    else if (m[4] !== undefined) out.push({ kind: 'id', value: m[4] });
  }
  return out;
}

function unescapeDot(body) {
  return body.replace(/\\(.)/gs, (_, c) => (c === 'n' ? '\n' : c));
}

/** Parse `digraph NAME { ... }` with node, edge, attribute and subgraph statements. */
function parseDot(text) {
  const toks = dotTokens(text);
  let i = 0;
  const peek = () => toks[i];
  const take = (value) => {
    const t = toks[i++];
    if (!t || (value !== undefined && t.value !== value)) throw new Error(`dot: expected ${value} at token ${i - 1}, got ${t?.value}`);
    return t;
  };
  const nodes = new Map();
  const edges = [];
  const clusters = [];
  const attrList = () => {
    const attrs = {};
    if (peek()?.value !== '[') return attrs;
    take('[');
    while (peek().value !== ']') {
      const key = take().value;
      take('=');
      attrs[key] = take().value;
      if (peek().value === ',' || peek().value === ';') take();
    }
    take(']');
    return attrs;
  };
  const block = (cluster) => {
    take('{');
    while (peek().value !== '}') {
      const t = take();
      if (t.value === 'subgraph') {
        const sub = { name: take().value, attrs: {}, nodes: [] };
        clusters.push(sub);
        block(sub);
      } else if (['node', 'edge', 'graph'].includes(t.value)) {
        attrList();
      } else if (peek()?.value === '=') {
        take('=');
        (cluster ? cluster.attrs : {})[t.value] = take().value;
      } else if (peek()?.value === '->') {
        take('->');
        const to = take().value;
        const attrs = attrList();
        edges.push({ from: t.value, to, attrs });
      } else {
        const attrs = attrList();
        const node = nodes.get(t.value) ?? { id: t.value, attrs: {} };
        Object.assign(node.attrs, attrs);
        nodes.set(t.value, node);
        if (cluster && !cluster.nodes.includes(t.value)) cluster.nodes.push(t.value);
      }
      if (peek()?.value === ';') take(';');
    }
    take('}');
  };
  take('digraph');
  take();
  block(undefined);
  assert.equal(i, toks.length, 'nothing after the graph');
  for (const e of edges) assert.ok(nodes.has(e.from) && nodes.has(e.to), `edge ends are declared nodes: ${e.from} ${e.to}`);
  return { nodes, edges, clusters };
}

// ---- Mermaid: each line must be one of the statements `lockorder graph` writes ----

const label = '"([^"]*)"';
const mermaidLines = {
  node: new RegExp(`^(n\\d+)\\[${label}\\]$`),
  edge: new RegExp(`^(n\\d+) (-->|-\\.->)\\|${label}\\| (n\\d+)$`),
  subgraph: new RegExp(`^subgraph (g\\d+)\\[${label}\\]$`),
  end: /^end$/,
  classDef: /^classDef (\w+) ([\w-]+:[#\w-]+)(,[\w-]+:[#\w-]+)*$/,
  class: /^class (n\d+(?:,n\d+)*) (\w+)$/,
  linkStyle: /^linkStyle (\d+(?:,\d+)*) ([\w-]+:[#\w-]+(?:,[\w-]+:[#\w-]+)*)$/,
};

/** Mermaid's entity codes and `<br>` back to text; a label must hold no other markup. */
function unescapeMermaid(body) {
  assert.doesNotMatch(body.replace(/<br>/g, ''), /[<>"`]/, `label escaped: ${body}`);
  return body.replace(/<br>/g, '\n').replace(/#(\d+);/g, (_, n) => String.fromCharCode(Number(n)));
}

/** Check every line of a flowchart and return its nodes, edges, subgraphs, classes and link styles. */
function checkMermaid(text) {
  const lines = text.trimEnd().split('\n');
  assert.equal(lines[0], 'flowchart TB');
  const nodes = new Map();
  const edges = [];
  const subgraphs = [];
  const classes = new Map();
  const linkStyles = [];
  let open;
  for (const raw of lines.slice(1)) {
    const line = raw.trim();
    let m;
    if ((m = mermaidLines.node.exec(line))) {
      nodes.set(m[1], unescapeMermaid(m[2]));
      open?.nodes.push(m[1]);
    } else if ((m = mermaidLines.edge.exec(line))) edges.push({ from: m[1], arrow: m[2], label: unescapeMermaid(m[3]), to: m[4] });
    else if ((m = mermaidLines.subgraph.exec(line))) {
      assert.equal(open, undefined, 'subgraphs are not nested');
      open = { id: m[1], label: unescapeMermaid(m[2]), nodes: [] };
      subgraphs.push(open);
    } else if (mermaidLines.end.test(line)) {
      assert.ok(open, 'end closes a subgraph');
      open = undefined;
    } else if (mermaidLines.classDef.test(line)) continue;
    else if ((m = mermaidLines.class.exec(line))) classes.set(m[2], m[1].split(','));
    else if ((m = mermaidLines.linkStyle.exec(line))) linkStyles.push({ indices: m[1].split(',').map(Number), style: m[2] });
    else assert.fail(`not a flowchart statement: ${raw}`);
  }
  assert.equal(open, undefined, 'every subgraph is closed');
  for (const e of edges) assert.ok(nodes.has(e.from) && nodes.has(e.to), 'edge ends are declared nodes');
  for (const s of linkStyles) for (const i of s.indices) assert.ok(i < edges.length, 'linkStyle names an edge');
  for (const ids of classes.values()) for (const id of ids) assert.ok(nodes.has(id), 'class names a node');
  return { nodes, edges, subgraphs, classes, linkStyles };
}

test('graph on a folder with nothing to read says so on stderr and draws an empty graph', () => {
  const dir = project({ 'README.md': '# nothing\n', 'dist/index.js': 'module.exports = 1;\n' });
  const r = run(['graph', '--format', 'json'], dir);
  assert.equal(r.status, 0, r.stderr);
  const graph = JSON.parse(r.stdout);
  assert.deepEqual([graph.nodes, graph.edges], [[], []]);
  assert.match(r.stderr, /no Python, TypeScript or JavaScript files found/);
});
