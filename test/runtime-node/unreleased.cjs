// CommonJS: a mutex and a semaphore slot taken and never given back; the program ends normally.
const { Mutex, Semaphore } = require('async-mutex');

const config = new Mutex();
const slots = new Semaphore(3);

async function main() {
  await config.acquire(); // config never released
  const [, release] = await slots.acquire(); // slot given back
  release();
  console.log('cjs done');
}
main();
