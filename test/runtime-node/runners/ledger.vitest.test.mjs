// A Vitest test whose two cases take the ledger's locks in opposite orders: under
// NODE_OPTIONS=--import=lockorder/register the Vitest worker records LO101 (no hang: they run
// one after the other).
import { Mutex } from 'async-mutex';
import { test } from 'vitest';

const books = new Mutex();
const journal = new Mutex();

test('post: journal after books', async () => {
  await books.runExclusive(() => journal.runExclusive(async () => 'posted')); // vitest: journal after books
});

test('audit: books after journal', async () => {
  await journal.runExclusive(() => books.runExclusive(async () => 'audited')); // vitest: books after journal
});
