// How a worker sends a file's facts to the main thread: as one JSON string. Copying a string
// between threads is a memcpy, and JSON.parse builds the facts faster and in less memory than
// the structured clone of the same object graph would. Maps and sets travel as arrays: a new
// Map or Set field of FileFacts must be converted here too (JSON would turn it into `{}`).

import type { FileFacts } from '../events';

/** Facts with their maps and sets as arrays, as they travel. */
type Wire = Omit<FileFacts, 'suppressions' | 'globalsDeclared'> & {
  suppressions: [number, string[]][];
  globalsDeclared: [string, string[]][];
};

/** Encode facts for `postMessage`. */
export function encodeFacts(facts: FileFacts): string {
  const wire: Wire = {
    ...facts,
    suppressions: [...facts.suppressions].map(([line, codes]) => [line, [...codes]]),
    globalsDeclared: [...facts.globalsDeclared].map(([fn, names]) => [fn, [...names]]),
  };
  return JSON.stringify(wire);
}

/** Decode facts sent by `encodeFacts`. */
export function decodeFacts(text: string): FileFacts {
  const wire = JSON.parse(text) as Wire;
  return {
    ...wire,
    suppressions: new Map(wire.suppressions.map(([line, codes]) => [line, new Set(codes)])),
    globalsDeclared: new Map(wire.globalsDeclared.map(([fn, names]) => [fn, new Set(names)])),
  };
}

