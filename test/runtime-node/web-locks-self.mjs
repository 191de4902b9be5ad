// Web Locks (Node 24.5+): a chain asks for the exclusive lock it holds: it would wait forever
// (LO102). With --raise the request rejects with DeadlockError instead.
const { locks } = navigator;

try {
  await locks.request('cache', async () => { // holds it
    await locks.request('cache', async () => 1); // asks again
  });
} catch (error) {
  console.log(`caught ${error.name}`);
}
