// p-limit: a task waiting on its own limiter while the limiter is full (concurrency 1) is a
// self-deadlock: it would hang. Consistent use (tasks that do not nest) gives nothing.
import pLimit from 'p-limit';

const limit = pLimit(1);
const results = await limit.map([1, 2, 3], async (n) => n * 2);
console.log(`map ${results.join(',')} active ${limit.activeCount} pending ${limit.pendingCount}`);
try {
  await limit(async () => { // holds the slot
    await limit(async () => 'inner'); // waits for its own limiter
  });
} catch (error) {
  console.log(`caught ${error.name}`);
}
