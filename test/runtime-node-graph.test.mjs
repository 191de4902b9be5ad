// The Node runtime's pure pieces: the lock graph (an edge closing a cycle returns the cycle,
// once) and the report writer (one JSON line per record, the Python schema plus `language`, a
// report deleted during the run noticed at the next record).
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { LockGraph } from '../runtime/node/lockGraph.mjs';
import { makeRecord, ReportWriter } from '../runtime/node/reportWriter.mjs';

test('lock graph: the edge closing a cycle returns it, new edge first; known edges return null', () => {
  const graph = new LockGraph();
  assert.equal(graph.add(1, 2, 'a'), null);
  assert.equal(graph.add(2, 3, 'b'), null);
  assert.deepEqual(graph.add(3, 1, 'c'), [[3, 1], [1, 2], [2, 3]]);
  assert.equal(graph.add(3, 1, 'again'), null);
  assert.equal(graph.info(3, 1), 'c');
  assert.equal(graph.size, 3);
  assert.equal(graph.add(4, 4, 'self'), null);
});

test('lock graph: 1,000 chains x 1,000 acquisitions of the same orders keep each distinct edge once', () => {
  const graph = new LockGraph();
  for (let chain = 0; chain < 1000; chain += 1) {
    for (let i = 0; i < 1000; i += 1) assert.equal(graph.add(i % 50, (i % 50) + 1, chain), null);
  }
  assert.equal(graph.size, 50);
});

test('report writer: one JSON line per record, version and rule first, language javascript', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lo-writer-'));
  const writer = new ReportWriter(dir);
  assert.ok(writer.write(makeRecord('LO101', 'first', [], { edges: [] })));
  assert.ok(writer.write(makeRecord('LO104', 'second\nline', [], { edges: [] })));
  const lines = readFileSync(join(dir, `lockorder-${process.pid}.jsonl`), 'utf8').split('\n');
  assert.equal(lines.length, 3);
  assert.equal(lines[2], '');
  const first = JSON.parse(lines[0]);
  assert.deepEqual(Object.keys(first).slice(0, 3), ['version', 'rule', 'name']);
  assert.equal(first.language, 'javascript');
  assert.equal(first.name, 'lock-order-inversion');
  assert.equal(JSON.parse(lines[1]).message, 'second\nline');
  assert.match(writer.where(), /\(2 records\)$/);
});

test('report writer: a report deleted during the run gets a new file; the summary says so', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lo-writer-'));
  const writer = new ReportWriter(dir);
  writer.write(makeRecord('LO101', 'before', [], { edges: [] }));
  rmSync(writer.path);
  writer.write(makeRecord('LO101', 'after', [], { edges: [] }));
  assert.ok(existsSync(writer.path));
  assert.equal(JSON.parse(readFileSync(writer.path, 'utf8')).message, 'after');
  assert.match(writer.where(), /\(1 record\); 1 earlier record went to a report file deleted during the run/);
});

test('report writer: an unwritable folder gives one message and no exception', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lo-writer-'));
  writeFileSync(join(dir, 'file'), 'not a folder');
  const writer = new ReportWriter(join(dir, 'file', 'reports'));
  const original = process.stderr.write;
  const said = [];
  process.stderr.write = (text) => { said.push(String(text)); return true; };
  try {
    assert.equal(writer.write(makeRecord('LO101', 'x', [], { edges: [] })), false);
    assert.equal(writer.write(makeRecord('LO101', 'y', [], { edges: [] })), false);
  } finally {
    process.stderr.write = original;
  }
  assert.equal(said.length, 1);
  assert.match(said[0], /^lockorder: cannot write report /);
});
