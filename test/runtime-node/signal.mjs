// A deadlock in a program that stays alive (a timer keeps running): beforeExit never comes, so
// the runtime reports when the program is stopped with SIGTERM or SIGINT.
import { Mutex } from 'async-mutex';

const left = new Mutex();
const right = new Mutex();
const tick = () => new Promise((resolve) => setTimeout(resolve, 10));

left.runExclusive(async () => {
  await tick();
  await right.runExclusive(async () => {}); // waits for right
});
right.runExclusive(async () => {
  await tick();
  await left.runExclusive(async () => {}); // waits for left
});
setInterval(() => {}, 1000);
setTimeout(() => console.log('ready'), 100);
