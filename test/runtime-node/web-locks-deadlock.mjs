// Web Locks (Node 24.5+): two chains each hold one lock and ask for the other's: a real
// deadlock. The event loop empties (Node exits with 13, the top-level await unsettled), and the
// runtime says who waits for which lock, held by whom (LO110), besides the LO101.
const { locks } = navigator;
const tick = () => new Promise((resolve) => setTimeout(resolve, 10));

await Promise.all([
  locks.request('left', async () => {
    await tick();
    await locks.request('right', async () => {}); // left waits for right
  }),
  locks.request('right', async () => {
    await tick();
    await locks.request('left', async () => {}); // right waits for left
  }),
]);
