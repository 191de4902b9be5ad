// A Jest test run as ES modules (node --experimental-vm-modules) whose two cases take the
// ledger's async-mutex locks in opposite orders: Jest evaluates async-mutex's ES-module entry
// itself (vm.SourceTextModule), past Node's loader hooks, and the worker records LO101 (no hang:
// they run one after the other).
import { Mutex } from 'async-mutex';

const books = new Mutex();
const journal = new Mutex();

test('post: journal after books', async () => {
  await books.runExclusive(() => journal.runExclusive(async () => 'posted')); // jest-esm: journal after books
});

test('audit: books after journal', async () => {
  await journal.runExclusive(() => books.runExclusive(async () => 'audited')); // jest-esm: books after journal
});
