// Ledger (JavaScript): post takes books then journal, close takes journal then books. The locks
// are made in main() and passed in, so only a run sees the inversion; the two run one after the
// other, so the run never hangs.
import { Mutex } from 'async-mutex';

async function post(books, journal) {
  await books.runExclusive(async () => {
    await journal.runExclusive(async () => {});
  });
}

async function close(books, journal) {
  await journal.runExclusive(async () => {
    await books.runExclusive(async () => {});
  });
}

async function main() {
  const books = new Mutex();
  const journal = new Mutex();
  await post(books, journal);
  await close(books, journal);
}

await main();
