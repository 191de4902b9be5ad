// An open TS/JS document is walked again only where an edit touched it (unitReuse.ts): the
// units of the file the edit left alone keep their facts. Whatever was reused, the facts and
// findings after each edit must be those of a cold analysis of the edited text. These tests
// edit every TS/JS fixture a few times (letters inside strings, spaces that move columns on a
// line, names of locks), and a class whose wrapper method changes which lock it takes, and
// compare each result with the file analyzed from scratch.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const { Project } = require('../dist/analysis.js');
const { unitStats } = require('../dist/tsFrontEnd.js');
const dir = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'typescript');

/** Facts and findings as comparable JSON (Maps as entry lists). */
function snapshot(project, path) {
  const replacer = (_, v) => (v instanceof Map ? [...v] : v instanceof Set ? [...v] : v);
  return {
    facts: JSON.parse(JSON.stringify(project.factsOf(path), replacer)),
    findings: JSON.parse(JSON.stringify(project.analyze().findings, replacer)),
  };
}

/** Edit an open document, then analyze the same text cold; both must agree. */
function editAndCompare(project, path, text, what) {
  project.setFile(path, text, true);
  const incremental = snapshot(project, path);
  project.removeFile(path);
  project.setFile(path, text, true);
  const cold = snapshot(project, path);
  assert.deepEqual(incremental, cold, `${path.split('/').pop()}: after ${what}, the edited document's analysis differs from a cold one`);
  return incremental;
}

/** Edits that keep the lines: a letter of a string literal, a space before a line's code, a lock's name. */
function edits(text) {
  const lines = text.split('\n');
  const out = [];
  lines.forEach((line, i) => {
    const str = /(['"])([A-Za-z][^'"]*)\1/.exec(line);
    if (str && !line.trimStart().startsWith('//') && !line.includes('import')) out.push({ line: i, at: str.index + 1, insert: false, what: `a letter of a string on line ${i + 1}` });
    const code = /^(\s+)(await|const|return|this)\b/.exec(line);
    if (code) out.push({ line: i, at: code[1].length, insert: true, what: `a space before the code of line ${i + 1}` });
    const lock = /\b(\w+)\.runExclusive\(/.exec(line);
    if (lock) out.push({ line: i, at: lock.index + lock[1].length - 1, insert: false, what: `the name of the lock on line ${i + 1}` });
  });
  // A few from across the file, so each test stays short.
  const step = Math.max(1, Math.floor(out.length / 6));
  return out.filter((_, k) => k % step === 0).slice(0, 6);
}

/** Apply one edit: insert a space, or replace the character with another letter. */
function apply(text, e) {
  const lines = text.split('\n');
  const l = lines[e.line];
  lines[e.line] = e.insert ? `${l.slice(0, e.at)} ${l.slice(e.at)}` : `${l.slice(0, e.at)}${l[e.at] === 'q' ? 'z' : 'q'}${l.slice(e.at + 1)}`;
  return lines.join('\n');
}

test('after each edit of a fixture, the facts and findings are those of a cold analysis of the edited text', async () => {
  const files = readdirSync(dir).filter((f) => /\.(ts|js|mjs|cjs)$/.test(f)).map((f) => join(dir, f));
  assert.ok(files.length > 50, 'the TS/JS fixtures are there');
  const before = { ...unitStats };
  const project = await Project.create();
  for (const path of files) {
    let text = readFileSync(path, 'utf8');
    project.setFile(path, text, true);
    for (const e of edits(text)) {
      text = apply(text, e);
      editAndCompare(project, path, text, e.what);
    }
    project.removeFile(path);
  }
  project.dispose();
  assert.ok(unitStats.reused > before.reused, 'some units were reused, not walked again');
});

const STORE = `import { Mutex } from 'async-mutex';

export class Store {
  private a = new Mutex();
  private b = new Mutex();

  withLock<T>(fn: () => Promise<T>): Promise<T> {
    return this.a.runExclusive(fn);
  }

  async post(): Promise<void> {
    await this.withLock(async () => {
      await this.b.runExclusive(async () => { console.log('post'); });
    });
  }

  async close(): Promise<void> {
    await this.b.runExclusive(async () => {
      await this.a.runExclusive(async () => { console.log('close'); });
    });
  }

  run<T>(fn: () => Promise<T>): Promise<T> {
    return fn();
  }

  async flush(): Promise<void> {
    const work = async () => {
      await this.b.runExclusive(async () => { console.log('flush'); });
    };
    await this.run(work);
  }
}
`;

test('a method whose wrapper changes the lock it takes, or whose callee becomes a wrapper, is walked again, and its findings follow', async () => {
  const path = join(dir, 'edit_reuse_store.ts'); // never written: the text lives only in the project
  const project = await Project.create();
  project.setFile(path, STORE, true);
  const codes = () => project.analyze().findings.map((f) => f.code).sort();
  assert.deepEqual(codes(), ['LO101'], 'withLock takes a, post takes b under it: against close, an inversion');
  const before = unitStats.reused;
  const b = editAndCompare(project, path, STORE.replace('return this.a.runExclusive(fn);', 'return this.b.runExclusive(fn);'), 'the wrapper taking b');
  assert.ok(unitStats.reused > before, 'the units the edit did not reach were reused');
  assert.deepEqual(b.findings.map((f) => f.code).sort(), ['LO102'], 'post now takes b under b: a re-entry, and no inversion');
  const c = editAndCompare(project, path, STORE.replace("console.log('post')", "console.log('pots')"), 'a string in post');
  assert.deepEqual(c.findings.map((f) => f.code).sort(), ['LO101'], 'back to the wrapper taking a');
  const d = editAndCompare(project, path, STORE.replace('return fn();', 'return this.b.runExclusive(fn);'), '`run` becoming a wrapper');
  const inFlush = (facts) => facts.acquires.filter((a) => a.functionId === 'Store.flush').length;
  assert.equal(inFlush(d.facts), inFlush(c.facts) + 1, 'flush now takes b where it calls run');
  project.dispose();
});

const KEYED = `import { Mutex } from 'async-mutex';

export class Ledger {
  private locks = new Map<string, Mutex>();
  private a = new Mutex();
  private b = new Mutex();

  mutexFor(key: string): Mutex {
    let m = this.locks.get(key);
    if (!m) { m = new Mutex(); this.locks.set(key, m); }
    return m;
  }

  lock() {
    return this.a.acquire();
  }

  async post(): Promise<void> {
    const release = await this.lock();
    try {
      await this.b.runExclusive(async () => { console.log('post'); });
    } finally {
      release();
    }
  }

  async close(): Promise<void> {
    await this.b.runExclusive(async () => {
      await this.a.runExclusive(async () => { console.log('close'); });
    });
  }

  async move(): Promise<void> {
    await this.mutexFor('x').runExclusive(async () => {
      await this.mutexFor('y').runExclusive(async () => { console.log('x then y'); });
    });
  }

  async back(): Promise<void> {
    await this.mutexFor('y').runExclusive(async () => {
      await this.mutexFor('x').runExclusive(async () => { console.log('y then x'); });
    });
  }
}
`;

test('a method handing back an acquisition, or a keyed-mutex getter, edited in place: the calls elsewhere follow', async () => {
  const path = join(dir, 'edit_reuse_keyed.ts'); // never written: the text lives only in the project
  const project = await Project.create();
  project.setFile(path, KEYED, true);
  const codes = (r) => r.findings.map((f) => `${f.code} ${f.message.match(/`[^`]+`/g)?.sort().join(' ')}`).sort();
  const first = editAndCompare(project, path, KEYED, 'nothing');
  assert.equal(codes(first).length, 2, `post (a then b) against close, and x/y against y/x: ${codes(first).join('; ')}`);
  const handsNone = editAndCompare(project, path, KEYED.replace('return this.a.acquire();', 'return Promise.resolve(() => {});'), '`lock` handing back no acquisition');
  assert.equal(codes(handsNone).length, 1, `only the keyed inversion is left: ${codes(handsNone).join('; ')}`);
  const noGetter = editAndCompare(project, path, KEYED.replace('let m = this.locks.get(key);', 'let m: Mutex | undefined;').replace('this.locks.set(key, m);', ''), '`mutexFor` no longer keeping a mutex per key');
  assert.ok(codes(noGetter).length < codes(first).length, `the keyed inversion is gone with the map lookup: ${codes(noGetter).join('; ')}`);
  editAndCompare(project, path, KEYED, 'the first text again');
  project.dispose();
});

const UNRELEASED = `import { Mutex } from 'async-mutex';

const db = new Mutex();

export async function save(rows: string[]): Promise<void> {
  const release = await db.acquire();
  console.log('saving');
  if (rows.length > 0) {
    release();
  }
}
`;

test('an edit before a function leaves the place its lock is left held (LO104) where a cold analysis puts it', async () => {
  const path = join(dir, 'edit_reuse_unreleased.ts'); // never written: the text lives only in the project
  const project = await Project.create();
  project.setFile(path, UNRELEASED, true);
  const where = (r) => r.findings.filter((f) => f.code === 'LO104').map((f) => JSON.stringify(f.related ?? f.relatedInformation ?? f.range));
  const first = editAndCompare(project, path, UNRELEASED, 'nothing');
  assert.equal(first.findings.filter((f) => f.code === 'LO104').length, 1, 'the acquire is never released');
  // One more character in the import (the file is walked again): every later position moves by one; ts-morph's kept
  // token children of reused nodes do not (releaseCheck.ts reads the block's end instead).
  const moved = editAndCompare(project, path, UNRELEASED.replace("import { Mutex } from 'async-mutex';", "import { Mutex  } from 'async-mutex';"), 'a space added in the import');
  assert.equal(where(moved).length, 1);
  project.dispose();
});

test('random one-character edits of the fixtures (half-typed code included) give a cold analysis\'s facts and findings', async () => {
  // A fixed seed: the same 160 edits every run. Each inserts or deletes one thing a typist might
  // (a brace, a quote, a backtick, a line break, `await `), anywhere in a fixture.
  let seed = 4242;
  const next = (n) => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n; };
  const inserts = ['{', '(', '`', '"', '\n', 'await ', '', '}'];
  const files = readdirSync(dir).filter((f) => /\.(ts|js)$/.test(f)).map((f) => join(dir, f));
  const project = await Project.create();
  for (const path of files.filter((_, i) => i % 4 === 0)) {
    let text = readFileSync(path, 'utf8');
    project.setFile(path, text, true);
    for (let k = 0; k < 4; k++) {
      const at = next(text.length);
      const what = inserts[next(inserts.length)];
      text = what === '' ? text.slice(0, at) + text.slice(at + 1) : text.slice(0, at) + what + text.slice(at);
      editAndCompare(project, path, text, what === '' ? `deleting the character at ${at}` : `inserting ${JSON.stringify(what)} at ${at}`);
    }
    project.removeFile(path);
  }
  project.dispose();
});

const QUEUE_LOCK = `export class Gate {
  private permits: number;
  private waiting: Array<() => void> = [];

  constructor(permits: number) {
    this.permits = permits;
  }

  async acquire(): Promise<void> {
    if (this.permits > 0) {
      this.permits -= 1;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.permits += 1;
  }
}

export class Slots {
  private active = 0;
  private waiting: { thunk: () => unknown; resolve: (v: unknown) => void }[] = [];

  lock(thunk: () => unknown): Promise<unknown> {
    return new Promise((resolve) => {
      this.waiting.push({ thunk, resolve });
      this.next();
    });
  }

  private next(): void {
    if (this.active === 1) return;
    const entry = this.waiting.shift();
    if (!entry) return;
    this.active++;
    Promise.resolve(entry.thunk()).then((v) => { this.active--; entry.resolve(v); this.next(); });
  }
}
`;

const QUEUE_USE = `
const gate = new Gate(1);
const slots = new Slots();

export async function twice(): Promise<void> {
  await gate.acquire();
  try {
    await gate.acquire();
    gate.release();
  } finally {
    gate.release();
  }
}

export async function nested(): Promise<void> {
  await slots.lock(() => slots.lock(() => 1));
}
`;

test('a hand-written queue lock class edited in place (its constructor, a helper no caller reads): the acquisitions using it follow, in its file and in another', async () => {
  const path = join(dir, 'edit_reuse_queue_lock.ts'); // never written: the text lives only in the project
  const project = await Project.create();
  const text = QUEUE_LOCK + QUEUE_USE;
  project.setFile(path, text, true);
  const codes = (r) => r.findings.map((f) => f.code);
  assert.deepEqual(codes(editAndCompare(project, path, text, 'nothing')), ['LO102', 'LO102'], 'one permit taken twice by one task; a capacity of 1 nested');
  assert.deepEqual(codes(editAndCompare(project, path, text.replace('this.permits = permits;', 'this.permits = permits + 1;'), 'the permits no longer a number written at the `new`')), ['LO102'],
    'a semaphore of unknown size is not counted');
  assert.deepEqual(codes(editAndCompare(project, path, text, 'the first text again')), ['LO102', 'LO102']);
  assert.deepEqual(codes(editAndCompare(project, path, text.replace('const entry = this.waiting.shift();', 'const entry = this.waiting.pop();'), '`next` no longer running the first thunk')), ['LO102'],
    'a queue not run in order is not recognised as a lock');
  project.removeFile(path);

  // The class in one file, its use in another: an edit of the class's file reaches the other's facts.
  const classPath = join(dir, 'edit_reuse_queue_class.ts');
  const usePath = join(dir, 'edit_reuse_queue_use.ts');
  const use = `import { Gate, Slots } from './edit_reuse_queue_class';\n${QUEUE_USE}`;
  project.setFile(classPath, QUEUE_LOCK, true);
  project.setFile(usePath, use, true);
  assert.deepEqual(codes(project.analyze()), ['LO102', 'LO102']);
  const edited = QUEUE_LOCK.replace('this.permits = permits;', 'this.permits = 5;');
  project.setFile(classPath, edited, true);
  const warm = snapshot(project, usePath);
  const cold = await Project.create();
  cold.setFile(classPath, edited, true);
  cold.setFile(usePath, use, true);
  assert.deepEqual(warm, snapshot(cold, usePath), 'the other file after the class edit, as a cold analysis of both');
  assert.deepEqual(codes(warm), ['LO102'], 'five permits: taking two is no self-deadlock');
  cold.dispose();
  project.dispose();
});

const ATOMICS_MAIN = `import { Worker } from 'node:worker_threads';

const cells = new Int32Array(new SharedArrayBuffer(8));
const spare = new Int32Array(new SharedArrayBuffer(8));
export const worker = new Worker('./edit_reuse_atomics_worker.ts', { workerData: { cells } });

function lock(i: number): void {
  while (Atomics.compareExchange(cells, i, 0, 1) !== 0) Atomics.wait(cells, i, 1);
}

function unlock(i: number): void {
  Atomics.store(cells, i, 0);
  Atomics.notify(cells, i);
}

export function deposit(): void {
  lock(0);
  lock(1);
  unlock(1);
  unlock(0);
}
`;

const ATOMICS_WORKER = `import { workerData } from 'node:worker_threads';

const { cells } = workerData;

export function audit(): void {
  while (Atomics.compareExchange(cells, 1, 0, 1) !== 0) Atomics.wait(cells, 1, 1);
  while (Atomics.compareExchange(cells, 0, 0, 1) !== 0) Atomics.wait(cells, 0, 1);
  Atomics.store(cells, 0, 0);
  Atomics.notify(cells, 0);
  Atomics.store(cells, 1, 0);
  Atomics.notify(cells, 1);
}
`;

test('an Atomics buffer handed to a worker, edited in the file that starts it: the worker\'s locks follow, as in a cold analysis', async () => {
  const mainPath = join(dir, 'edit_reuse_atomics_main.ts'); // never written: the texts live only in the project
  const workerPath = join(dir, 'edit_reuse_atomics_worker.ts');
  const project = await Project.create();
  project.setFile(mainPath, ATOMICS_MAIN, true);
  project.setFile(workerPath, ATOMICS_WORKER, true);
  const codes = (r) => r.findings.map((f) => f.code);
  assert.deepEqual(codes(project.analyze()), ['LO101'], 'the main thread and the worker nest cells 0 and 1 of one buffer in opposite orders');
  const edits = [
    [ATOMICS_MAIN.replace('{ workerData: { cells } }', '{ workerData: { cells: spare } }'), [], 'the worker handed another buffer'],
    [ATOMICS_MAIN, ['LO101'], 'the first text again'],
    [ATOMICS_MAIN.replace('const cells = new Int32Array(new SharedArrayBuffer(8));', 'const cells = new Int32Array(spare.buffer);'), [], 'the buffer no longer made where it is seen'],
  ];
  for (const [text, expected, what] of edits) {
    project.setFile(mainPath, text, true);
    const warm = snapshot(project, workerPath);
    // Cold: both files forgotten, then given again (the TS front end keeps one program for all projects).
    project.removeFile(workerPath);
    project.removeFile(mainPath);
    project.setFile(mainPath, text, true);
    project.setFile(workerPath, ATOMICS_WORKER, true);
    assert.deepEqual(warm, snapshot(project, workerPath), `the worker after ${what}, as a cold analysis of both`);
    assert.deepEqual(codes(warm), expected, what);
  }
  project.dispose();
});
