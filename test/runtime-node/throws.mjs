// The program's own error: it must reach the user exactly as without the runtime.
import { Mutex } from 'async-mutex';

const lock = new Mutex();
await lock.runExclusive(async () => {
  throw new RangeError(`boom ${process.argv[2]}`);
});
