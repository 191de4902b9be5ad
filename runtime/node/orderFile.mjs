// The declared lock order (`lockorder.order`, docs/order-file.md) for the Node runtime's ordered
// acquire: each declared name gets a rank in file order (names on a `<` chain in chain order,
// names of an `=` group the same rank, `*` matching one dotted part). The file is
// LOCKORDER_ORDER_FILE, else `lockorder.order` next to the script, else in the current folder.
// An unreadable or missing file declares nothing.

import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { useDeclaredRanks } from './locks.mjs';
import { internalError, state } from './tracker.mjs';

/**
 * Ranks of the names a lockorder.order text declares.
 * @param {string} text
 * @returns {Array<{ pattern: RegExp, rank: number }>}
 */
export function parseOrder(text) {
  const ranks = [];
  let rank = 0;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/#.*/, '').replace(/\s+ascending by\s+\S+\s*$/, '').trim();
    if (!line) continue;
    for (const step of line.split('<')) {
      for (const name of step.split('=')) {
        const parts = name.trim().split('.').map((p) => (p === '*' ? '[^.]+' : p.replace(/[$()[\]{}+?^|\\]/g, '\\$&')));
        ranks.push({ pattern: new RegExp(`^(?:.*\\.)?${parts.join('\\.')}$`), rank });
      }
      rank += 1;
    }
  }
  return ranks;
}

/** The order file to read, or null. */
function findOrderFile() {
  if (state.options.orderFile) return resolve(state.options.orderFile);
  const places = [process.argv[1] ? dirname(resolve(process.argv[1])) : null, process.cwd()];
  for (const dir of places) {
    if (dir && existsSync(join(dir, 'lockorder.order'))) return join(dir, 'lockorder.order');
  }
  return null;
}

/** Read the declared order (if any) and give its ranks to the lock registry. */
export function installOrderFile() {
  try {
    const file = findOrderFile();
    if (!file || statSync(file).size > 10 * 1024 * 1024) return;
    const ranks = parseOrder(readFileSync(file, 'utf8'));
    useDeclaredRanks((name) => ranks.find((r) => r.pattern.test(name))?.rank);
  } catch (error) {
    internalError(error);
  }
}
