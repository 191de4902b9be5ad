// A small glob matcher for --exclude, so the CLI needs no dependency for it.
// Supports `*`, `?`, `**`, `[abc]`; a trailing `/` matches directories only; a pattern
// without any other `/` matches a file or directory name at any depth (like .gitignore).

/** A compiled --exclude pattern. */
export interface Glob {
  pattern: string;
  /** Whether a path (relative, `/`-separated) is excluded; `isDir` says if it names a directory. */
  matches(path: string, isDir: boolean): boolean;
}

/** Compile one pattern. */
export function compileGlob(pattern: string): Glob {
  let body = pattern.replace(/\\/g, '/');
  const dirOnly = body.endsWith('/');
  body = body.replace(/\/+$/, '').replace(/^\.\//, '');
  const anywhere = !body.includes('/');
  const source = body.replace(/^\/+/, '');
  const regex = new RegExp(`^${anywhere ? '(?:.*/)?' : ''}${globToRegex(source)}$`);
  return {
    pattern,
    matches(path: string, isDir: boolean): boolean {
      if (dirOnly && !isDir) return false;
      return regex.test(path);
    },
  };
}

/** Whether any pattern excludes the path. */
export function isExcluded(globs: Glob[], path: string, isDir: boolean): boolean {
  return globs.some((g) => g.matches(path, isDir));
}

/** Translate glob syntax to a regular expression body. */
function globToRegex(glob: string): string {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*' && glob[i + 1] === '*') {
      const before = i === 0 || glob[i - 1] === '/';
      const after = i + 2 === glob.length || glob[i + 2] === '/';
      if (before && after) {
        if (i + 2 === glob.length) out = out.replace(/\/$/, '') + '(?:/.*)?';
        else out += '(?:.*/)?';
        i += 2;
        continue;
      }
      out += '[^/]*';
      i++;
    } else if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else if (c === '[') {
      const end = glob.indexOf(']', i + 2);
      if (end < 0) out += '\\[';
      else {
        const set = glob.slice(i + 1, end).replace(/^!/, '^').replace(/\\/g, '\\\\');
        out += `[${set}]`;
        i = end;
      }
    } else out += c.replace(/[.+^${}()|\\\]]/g, '\\$&');
  }
  return out;
}
