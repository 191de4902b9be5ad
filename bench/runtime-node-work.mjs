// One measurement of bench:runtime-node, run in its own process (with or without the Node
// runtime preloaded): `node [--import register] bench/runtime-node-work.mjs SCENARIO N` prints
// the nanoseconds per iteration of SCENARIO and the peak RSS as one JSON line.
import { Mutex } from 'async-mutex';

const [scenario, count] = [process.argv[2], Number(process.argv[3])];
const a = new Mutex();
const b = new Mutex();
const locks = Array.from({ length: 10 }, () => new Mutex());
/** An I/O stand-in: one turn of the event loop. */
const io = () => new Promise((resolve) => setImmediate(resolve));

/** The async handler of the request-like workload: two mutexes, I/O under each. */
async function handler(i) {
  await a.runExclusive(async () => {
    await io();
    await b.runExclusive(async () => i + 1);
  });
  await io();
}

const scenarios = {
  /** runExclusive on an uncontended mutex. */
  async uncontended(n) {
    for (let i = 0; i < n; i += 1) await a.runExclusive(() => i);
  },
  /** n requests, 10 in flight at a time. */
  async requests(n) {
    for (let i = 0; i < n; i += 10) await Promise.all(Array.from({ length: 10 }, (_, k) => handler(i + k)));
  },
  /** Two nested runExclusive. */
  async nested(n) {
    for (let i = 0; i < n; i += 1) await a.runExclusive(() => b.runExclusive(async () => i));
  },
  /** 1,000 concurrent chains sharing n acquisitions, nested pairs of 10 mutexes in one order. */
  async chains(n) {
    const chain = async (c, count) => {
      for (let i = 0; i < count; i += 2) {
        const k = (c + i) % 9;
        await locks[k].runExclusive(() => locks[k + 1].runExclusive(async () => i));
      }
    };
    await Promise.all(Array.from({ length: 1000 }, (_, c) => chain(c, n / 1000)));
  },
  /** The ordered acquire of the same two mutexes. */
  async ordered(n) {
    const { acquire } = await import('lockorder/runtime');
    for (let i = 0; i < n; i += 1) await acquire([a, b], async () => i);
  },
};

await scenarios[scenario](Math.min(count, 2000));
const started = process.hrtime.bigint();
await scenarios[scenario](count);
const ns = Number(process.hrtime.bigint() - started) / count;
console.log(JSON.stringify({ scenario, count, ns, maxRssMB: Math.round(process.resourceUsage().maxRSS / 1024) }));
