// A Jest test run as ES modules (node --experimental-vm-modules, as isomorphic-git runs its
// tests) whose two cases take async-lock keys in opposite orders: Jest loads the CommonJS
// async-lock by its resolved file path, and the worker records LO101 (no hang: they run one
// after the other).
import AsyncLock from 'async-lock';

const lock = new AsyncLock();

test('write: index after refs', async () => {
  await lock.acquire('refs', () => lock.acquire('index', async () => 'written')); // jest-esm: index after refs
});

test('read: refs after index', async () => {
  await lock.acquire('index', () => lock.acquire('refs', async () => 'read')); // jest-esm: refs after index
});
