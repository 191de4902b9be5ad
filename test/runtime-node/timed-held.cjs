// async-mutex's withTimeout under require (its CommonJS build runs through tslib's __awaiter,
// seven frames deep): a lock taken through it and never released is LO104 at exit, and the
// report names the line below (the user's call), not the library's files.
// Expected: stdout "taken", exit 0, one LO104 held at the marked line.
const { Mutex, withTimeout } = require('async-mutex');

const jobs = withTimeout(new Mutex(), 60000);

async function main() {
  await jobs.acquire(); // taken through withTimeout, never released
  console.log('taken');
}

main();
