// Web Locks (Node 24.5+): two chains take two locks in opposite orders one after the other
// (LO101, no hang); an ifAvailable request for a lock the chain holds, and a shared request
// nested in a shared one, give nothing of their own.
const { locks } = navigator;

await locks.request('accounts', async () => {
  await locks.request('audit', async () => {}); // transfer takes audit
});
await locks.request('audit', async () => {
  await locks.request('accounts', async () => {}); // report takes accounts
});
await locks.request('accounts', async () => {
  const got = await locks.request('accounts', { ifAvailable: true }, async (lock) => lock); // not available
  await locks.request('audit', { mode: 'shared' }, () => locks.request('audit', { mode: 'shared' }, async () => {}));
  console.log(`ifAvailable ${got}`);
});
