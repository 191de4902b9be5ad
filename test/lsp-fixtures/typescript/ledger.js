// JavaScript (CommonJS): `post` takes `books` then `journal` with acquire() and a release in
// `finally`, `close` takes them the other way round.
// expect: LO101 at 26
const { Mutex } = require('async-mutex');

const books = new Mutex();
const journal = new Mutex();

async function post() {
  const releaseBooks = await books.acquire();
  try {
    const releaseJournal = await journal.acquire();
    try {
      console.log('post');
    } finally {
      releaseJournal();
    }
  } finally {
    releaseBooks();
  }
}

async function close() {
  const releaseJournal = await journal.acquire();
  try {
    const releaseBooks = await books.acquire();
    try {
      console.log('close');
    } finally {
      releaseBooks();
    }
  } finally {
    releaseJournal();
  }
}

module.exports = { post, close };
