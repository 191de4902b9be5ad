// A small glob matcher for `lockorder.exclude`: `**`, `*`, `?`, `[...]` and `{a,b}`, matched
// against a path relative to its workspace folder, with `/` separators. A pattern without a
// `/` matches any single path segment (so `build` excludes every `build` folder).

/** A compiled set of exclude globs. */
export interface GlobSet {
  /** Whether a relative file path (or a folder path ending in `/`) is excluded. */
  matches(relativePath: string): boolean;
}

/** Compile exclude patterns; a malformed pattern is reported through `onError` and dropped. */
export function compileGlobs(patterns: string[], onError: (pattern: string, message: string) => void = () => {}): GlobSet {
  const compiled: RegExp[] = [];
  const segmentOnly: RegExp[] = [];
  for (const raw of patterns) {
    const pattern = raw.trim().replace(/\\/g, '/').replace(/^\.\//, '');
    if (!pattern) continue;
    try {
      if (!pattern.includes('/')) segmentOnly.push(new RegExp(`^${translate(pattern)}$`));
      else compiled.push(new RegExp(`^${translate(pattern.replace(/^\//, ''))}$`));
    } catch (err) {
      onError(raw, err instanceof Error ? err.message : String(err));
    }
  }
  return {
    matches(relativePath: string): boolean {
      const path = relativePath.replace(/\\/g, '/');
      if (compiled.some((re) => re.test(path))) return true;
      if (segmentOnly.length === 0) return false;
      return path.split('/').some((seg) => seg !== '' && segmentOnly.some((re) => re.test(seg)));
    },
  };
}

/** Translate one glob into a regular expression source. */
function translate(glob: string): string {
  let out = '';
  let braces = 0;
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*') {
      if (glob[i + 1] === '*') {
        const atStart = i === 0 || glob[i - 1] === '/';
        const atEnd = i + 2 === glob.length || glob[i + 2] === '/';
        if (atStart && atEnd) {
          // `**/` is zero or more folders; a final `**` is anything, even nothing.
          if (i + 2 === glob.length) out += '.*';
          else out += '(?:.*/)?';
          i += 2;
          continue;
        }
        out += '[^/]*';
        i++;
        continue;
      }
      out += '[^/]*';
    } else if (c === '?') out += '[^/]';
    else if (c === '[') {
      const close = glob.indexOf(']', i + 1);
      if (close < 0) { out += '\\['; continue; }
      let body = glob.slice(i + 1, close).replace(/\\/g, '\\\\');
      if (body.startsWith('!')) body = '^' + body.slice(1);
      out += `[${body}]`;
      i = close;
    } else if (c === '{') { out += '(?:'; braces++; }
    else if (c === '}' && braces > 0) { out += ')'; braces--; }
    else if (c === ',' && braces > 0) out += '|';
    else out += c.replace(/[.+^$()|\\\]{}]/g, '\\$&');
  }
  if (braces > 0) throw new Error('unclosed "{"');
  return out;
}
