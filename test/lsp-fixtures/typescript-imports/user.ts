// LO101 while locks.ts's `withLedger` takes `ledger`: `post` takes journal under ledger (through
// the wrapper), `close` takes ledger under journal. Its findings change when locks.ts does.
import { journal, ledger, withLedger } from './locks';

export async function post(): Promise<void> {
  await withLedger(async () => {
    await journal.runExclusive(async () => { console.log('post'); });
  });
}

export async function close(): Promise<void> {
  await journal.runExclusive(async () => {
    await ledger.runExclusive(async () => { console.log('close'); });
  });
}
