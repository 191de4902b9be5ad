// p-queue under the Node runtime, provoked for real in child processes: a queue of finite
// concurrency is a lock with that many slots (LO102 for a task waiting on its own full queue,
// LO101 for a cycle through a queue and a mutex), a timed-out task frees its slot, a queue of
// unbounded concurrency is no lock, and p-queue's own modules stay the library's.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lineOf, ofRule, runUnderRuntime } from './runtime-node-helpers.mjs';

test('p-queue: a task waiting on its own full queue is LO102; --raise rejects it; addAll, priorities and an unbounded queue work as before', () => {
  const run = runUnderRuntime('p-queue.mjs');
  assert.equal(run.status, 13, run.stderr);
  assert.equal(run.stdout, 'addAll 1,2 first,high,low nested pending 0 size 0\n');
  const [record] = ofRule(run.records, 'LO102');
  assert.ok(record, JSON.stringify(run.records));
  assert.equal(run.records.length, 1, 'nothing about the unbounded queue');
  assert.deepEqual(record.locks.map((l) => [l.name, l.kind, l.created.line]), [['queue', 'PQueue', lineOf('p-queue.mjs', 'new PQueue({ concurrency: 1 })')]]);
  assert.equal(record.edges.find((e) => e.role === 'acquire').stack[0].line, lineOf('p-queue.mjs', 'waits for its own queue'));
  assert.equal(record.edges.find((e) => e.role === 'held').stack[0].line, lineOf('p-queue.mjs', 'holds the slot'));
  // One lock: the bounded queue (not the unbounded one, nor p-queue's own PriorityQueue).
  assert.match(run.stderr, /lockorder: 1 locks seen, 0 lock-order edges, findings: LO102 self-deadlock: 1\./);
  const raised = runUnderRuntime('p-queue.mjs', { raise: true });
  assert.equal(raised.stdout, 'addAll 1,2 first,high,low nested pending 0 size 0\ncaught DeadlockError\n');
  assert.equal(raised.status, 0, raised.stderr);
});

test('p-queue: a cycle through a queue and a mutex is LO101; a task that timed out holds nothing at exit', () => {
  const run = runUnderRuntime('p-queue-order.mjs');
  assert.equal(run.status, 0, run.stderr);
  assert.equal(run.stdout, 'timed out: TimeoutError\ndone\n');
  assert.deepEqual(run.records.map((r) => r.rule), ['LO101'], JSON.stringify(run.records));
  const [record] = run.records;
  assert.deepEqual(record.locks.map((l) => l.name).sort(), ['books', 'queue']);
  const sites = record.edges.map((e) => e.stack[0].line).sort((a, b) => a - b);
  assert.deepEqual(sites, [lineOf('p-queue-order.mjs', 'the task takes books'), lineOf('p-queue-order.mjs', 'holding books, waits for the queue')]);
});

test('p-queue and p-limit: queuing a task without awaiting it, under a mutex the task needs or on its own full queue, is no finding', () => {
  const run = runUnderRuntime('limiter-queued.mjs');
  assert.equal(run.status, 0, run.stderr);
  assert.equal(run.stdout, 'queued,limited,1,2,3\n');
  assert.deepEqual(run.records, []);
  assert.match(run.stderr, /findings: none/);
});

test('p-queue: a chain awaiting a queued task that needs the mutex it holds is LO102 (the run really hangs); --raise rejects the wait', () => {
  const run = runUnderRuntime('limiter-awaited.mjs');
  assert.equal(run.status, 13, run.stderr);
  assert.equal(run.stdout, '');
  const [record] = ofRule(run.records, 'LO102');
  assert.ok(record, JSON.stringify(run.records));
  assert.deepEqual(record.locks.map((l) => l.name), ['books']);
  assert.equal(record.edges.find((e) => e.role === 'held').stack[0].line, lineOf('limiter-awaited.mjs', 'holds books'));
  assert.equal(record.edges.find((e) => e.role === 'acquire').stack[0].line, lineOf('limiter-awaited.mjs', 'the task waits for books'));
  const raised = runUnderRuntime('limiter-awaited.mjs', { raise: true });
  assert.equal(raised.stdout, 'caught DeadlockError\n');
  assert.equal(raised.status, 0, raised.stderr);
});

test('p-queue and p-limit: tasks dropped by clear()/clearQueue(), or queued without await on a paused queue, are no deadlock at exit', () => {
  const run = runUnderRuntime('limiter-cleared.mjs');
  assert.equal(run.status, 0, run.stderr);
  assert.equal(run.stdout, '0 0 1\n');
  assert.deepEqual(run.records, []);
});
