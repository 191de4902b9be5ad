// acquire() twice in one function: the second waits for the first forever.
import { Mutex } from 'async-mutex';

const pool = new Mutex();
try {
  await pool.acquire(); // first
  await pool.acquire(); // second
  console.log('unreachable');
} catch (error) {
  console.log(`caught ${error.name}`);
}
