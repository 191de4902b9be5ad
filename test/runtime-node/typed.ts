// TypeScript source of a self-deadlock; the test compiles it with a source map and runs the
// output with --enable-source-maps: the report names these lines.
import { Mutex } from 'async-mutex';

interface Store { lock: Mutex; }

const store: Store = { lock: new Mutex() };

async function save(value: number): Promise<number> {
  return store.lock.runExclusive(async (): Promise<number> => value); // ts asks again
}

await store.lock.runExclusive(async (): Promise<void> => { // ts holds it
  await save(1);
});
