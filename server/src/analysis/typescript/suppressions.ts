// Reads `// lockorder: ignore` and `// lockorder: ignore[LO101, LO102]` comments (also inside
// `/* … */`) of a TS/JS file: line → codes, an empty set meaning every code.

import type { Suppressions } from '../events';

const PATTERN = /(?:\/\/|\/\*)\s*lockorder:\s*ignore(?:\[([^\]]*)\])?/i;

/** The suppression comments of a file's text, by 0-based line. */
export function suppressionsOf(text: string): Suppressions {
  const out: Suppressions = new Map();
  if (!/lockorder:/i.test(text)) return out;
  text.split('\n').forEach((line, i) => {
    const m = PATTERN.exec(line);
    if (m) out.set(i, new Set((m[1] ?? '').split(',').map((c) => c.trim().toUpperCase()).filter(Boolean)));
  });
  return out;
}
