// A Jest test whose two cases take the ledger's locks in opposite orders: under
// NODE_OPTIONS=--import=lockorder/register the Jest worker records LO101 (no hang: they run one
// after the other).
const { Mutex } = require('async-mutex');

const books = new Mutex();
const journal = new Mutex();

test('post: journal after books', async () => {
  await books.runExclusive(() => journal.runExclusive(async () => 'posted')); // jest: journal after books
});

test('audit: books after journal', async () => {
  await journal.runExclusive(() => books.runExclusive(async () => 'audited')); // jest: books after journal
});
