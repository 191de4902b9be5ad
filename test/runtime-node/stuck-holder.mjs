// The holder of a mutex awaits a promise that never settles; another chain waits for the mutex.
import { Mutex } from 'async-mutex';

const jobs = new Mutex();
const never = new Promise(() => {});

jobs.runExclusive(async () => { // holder takes jobs
  await never;
});
await jobs.runExclusive(async () => {}); // main waits for jobs
