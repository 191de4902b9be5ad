// An async-mutex lock taken with acquire() and released by hand, in plain JavaScript.
//
// `next` returns early when the queue is empty, and `run` lets a failing job's exception
// escape, both without calling release(): the next caller waits for the mutex forever.
// `drain` shows the cure, the release in a `finally` block.
//
// `lockorder check examples/job_queue.js` reports LO104 (unreleased lock) twice.
const { Mutex } = require('async-mutex');

const lock = new Mutex();
const queue = [];

async function next() {
  const release = await lock.acquire();
  if (queue.length === 0) return undefined;
  const job = queue.shift();
  release();
  return job;
}

async function run(job) {
  const release = await lock.acquire();
  await job();
  release();
}

async function drain() {
  const release = await lock.acquire();
  try {
    while (queue.length > 0) await queue.shift()();
  } finally {
    release();
  }
}

module.exports = { next, run, drain };
