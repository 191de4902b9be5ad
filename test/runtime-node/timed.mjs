// tryAcquire and withTimeout on a mutex the chain holds: they fail or time out as the library
// says, which is no self-deadlock. waitForUnlock on a held mutex is one.
import { E_ALREADY_LOCKED, E_TIMEOUT, Mutex, Semaphore, tryAcquire, withTimeout } from 'async-mutex';

const gate = new Mutex();
const limiter = new Semaphore(1);

await gate.runExclusive(async () => {
  try {
    await tryAcquire(gate).runExclusive(async () => {});
  } catch (error) {
    console.log(`try: ${error === E_ALREADY_LOCKED}`);
  }
  try {
    await withTimeout(gate, 20).acquire();
  } catch (error) {
    console.log(`timeout: ${error === E_TIMEOUT}`);
  }
});
const timedLimiter = withTimeout(limiter, 1000);
console.log(`value: ${await timedLimiter.runExclusive(async (value) => value)}`);
await gate.runExclusive(async () => {
  await gate.waitForUnlock(); // waits for itself
});
