// The CLI's exit statuses and how a failure is told to the user: one line (plus a hint),
// control characters escaped, never a stack trace. Shared by the main thread and the worker
// that runs the check, so it imports nothing of the engine.

import { UsageError } from './args';
import { escapeControl } from './escape';
import { usageHint } from './help';
import { bugsUrl } from './version';

/** Exit code: no findings. */
export const exitClean = 0;
/** Exit code: at least one finding. */
export const exitFindings = 1;
/** Exit code: usage error, missing path, out of memory, or internal error. */
export const exitError = 2;

/** A failure the user can act on (a missing path); printed without a stack trace. */
export class CheckError extends Error {
  constructor(message: string, readonly hint?: string) {
    super(message);
  }
}

/** The error code Node gives a worker thread that ran out of JavaScript heap. */
const workerOutOfMemory = 'ERR_WORKER_OUT_OF_MEMORY';

/** Whether `err` says a thread ran out of JavaScript heap. */
export function isOutOfMemory(err: unknown): boolean {
  return (err as { code?: unknown } | undefined)?.code === workerOutOfMemory;
}

/** The text printed on stderr for a failure; `heapLimitMb` is named when the heap ran out. */
export function describeFailure(err: unknown, heapLimitMb?: number): string {
  if (err instanceof UsageError) return `lockorder: ${escapeControl(err.message)}\n${usageHint}\n`;
  if (err instanceof CheckError) return `lockorder: ${escapeControl(err.message)}\n${err.hint ? `${err.hint}\n` : ''}`;
  if (isOutOfMemory(err)) {
    const limit = heapLimitMb !== undefined ? ` (the limit is about ${heapLimitMb} MB)` : '';
    return `lockorder: out of memory: the analysis needed more JavaScript heap than allowed${limit}\n`
      + 'Check fewer files at once, lower --max-file-size, or raise the limit with NODE_OPTIONS=--max-old-space-size=MB.\n';
  }
  const message = err instanceof Error ? err.message : String(err);
  return `lockorder: internal error: ${escapeControl(message)}\n`
    + `Please report this at ${bugsUrl}\n`;
}
