// Promise.all children of a holder count as its chain: a child taking inner while the parent
// holds outer makes the edge outer -> inner, which a later chain's inner -> outer inverts.
// A queued waiter runs in its own chain, not in the releaser's: no edge from unrelated -> later.
import { Mutex } from 'async-mutex';

const outer = new Mutex();
const inner = new Mutex();
const unrelated = new Mutex();
const shared = new Mutex();
const later = new Mutex();
const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

await outer.runExclusive(async () => {
  await Promise.all([
    tick(),
    (async () => { await inner.runExclusive(async () => {}); })(), // child takes inner
  ]);
});

// The releaser gives shared back while it holds unrelated; the waiter for shared then takes later.
const releaseShared = await shared.acquire();
const releaser = unrelated.runExclusive(async () => {
  await tick();
  releaseShared(); // wakes the waiter while holding unrelated
  await tick();
});
const waiter = shared.runExclusive(() => later.runExclusive(async () => {}));
await Promise.all([releaser, waiter]);
await later.runExclusive(() => unrelated.runExclusive(async () => {})); // fine unless the waiter ran as the releaser

await inner.runExclusive(async () => {
  await outer.runExclusive(async () => {}); // inverts outer -> inner
});
