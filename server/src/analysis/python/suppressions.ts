// Parses `# lockorder: ignore` and `# lockorder: ignore[LO101, LO102]` comments.

const PATTERN = /#\s*lockorder:\s*ignore(?:\[([^\]]*)\])?/i;

/** The codes a comment suppresses (an empty set means all), or undefined if it is not one. */
export function parseSuppression(comment: string): Set<string> | undefined {
  const m = PATTERN.exec(comment);
  if (!m) return undefined;
  const codes = (m[1] ?? '').split(',').map((c) => c.trim().toUpperCase()).filter(Boolean);
  return new Set(codes);
}

/** Whether a file's text may have a suppression comment (else its comments need not be looked at). */
export function maySuppress(text: string): boolean {
  return /lockorder/i.test(text);
}
