// async-mutex: release() called right after acquire(), before the acquire's promise settles (as
// async-mutex's own tests do): the library gave the lock at once, so the release frees that
// acquisition, and nothing is held at exit. Expected: stdout "false 1", exit 0, no records.
import { Mutex, Semaphore } from 'async-mutex';

const mutex = new Mutex();
mutex.acquire(); // granted at once
const second = mutex.acquire(); // waits for the first
mutex.release(); // releases the first, whose promise has not settled yet
const release = await second;
release();

const slots = new Semaphore(1);
slots.acquire();
slots.release();
console.log(mutex.isLocked(), slots.getValue());
