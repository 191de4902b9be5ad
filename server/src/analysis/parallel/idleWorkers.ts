// Parse workers kept for a moment after a run, so that the next run (the language server indexes
// a workspace in batches, and a run walks stale readers again) finds them started, their parser
// loaded and their code compiled, instead of starting new ones. An idle worker does not keep the
// process alive; it ends after IDLE_MS without work, or when it fails while idle.

import { Worker } from 'node:worker_threads';

/** How long an idle worker waits for the next run. */
const IDLE_MS = 5000;

/** Idle workers by script, each with the listener that forgets it if it fails or exits while idle. */
const idle = new Map<string, { worker: Worker; gone: () => void }[]>();
let timer: NodeJS.Timeout | undefined;

/** `count` workers running `script`: idle ones first, new ones for the rest. */
export function takeWorkers(script: string, count: number): Worker[] {
  const kept = idle.get(script) ?? [];
  const taken = kept.splice(0, count).map(({ worker, gone }) => {
    worker.off('error', gone).off('exit', gone);
    worker.ref();
    return worker;
  });
  while (taken.length < count) taken.push(new Worker(script));
  return taken;
}

/** Keep workers after a run that went well (their run's own listeners removed by the caller). */
export function keepWorkers(script: string, workers: Worker[]): void {
  const list = idle.get(script) ?? [];
  for (const worker of workers) {
    const gone = () => forget(script, worker);
    worker.on('error', gone).on('exit', gone);
    worker.unref();
    list.push({ worker, gone });
  }
  idle.set(script, list);
  if (timer) clearTimeout(timer);
  timer = setTimeout(endIdle, IDLE_MS);
  timer.unref();
}

/** Drop a worker that failed or exited while idle. */
function forget(script: string, worker: Worker): void {
  const list = idle.get(script)?.filter((e) => e.worker !== worker);
  if (list) idle.set(script, list);
}

/** End every idle worker. */
function endIdle(): void {
  const all = [...idle.values()].flat();
  idle.clear();
  for (const { worker, gone } of all) {
    worker.off('error', gone).off('exit', gone);
    worker.on('error', () => {}); // ending: nothing more to hear from it
    void worker.terminate();
  }
}
