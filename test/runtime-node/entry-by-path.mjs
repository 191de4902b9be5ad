// A library imported through the file path its package name resolves to, as Vitest imports a
// test's dependencies, is instrumented too: the inversion is LO101. Two locks created on one line
// are named each by its own declarator.
const { Mutex } = await import(new URL('../../node_modules/async-mutex/index.mjs', import.meta.url).href);
const books = new Mutex(), journal = new Mutex();
await books.runExclusive(() => journal.runExclusive(async () => 'posted')); // journal after books
await journal.runExclusive(() => books.runExclusive(async () => 'audited')); // books after journal
console.log('done');
