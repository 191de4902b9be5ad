// Caches of the walk that hold what the type checker said about a node (is this a lock, a
// wrapper, a lock-holding parameter): an unchanged file keeps its parse, and so its nodes and
// their wrappers, from program to program, but what the checker says of them may change with
// another file (`export *` from a package that no longer resolves). So such a cache lasts as
// long as one program: within a batch of files, every walk shares it; an edit starts afresh.

/** Bumped each time a file's text changes or a file leaves the project. */
let program = 0;

/** The project's program changed: every ProgramCache starts empty. */
export function programChanged(): void {
  program++;
}

/** A WeakMap emptied whenever the program changes. */
export class ProgramCache<K extends object, V> {
  private map = new WeakMap<K, V>();
  private program = program;

  /** The map for the current program. */
  private current(): WeakMap<K, V> {
    if (this.program !== program) {
      this.map = new WeakMap();
      this.program = program;
    }
    return this.map;
  }

  /** The value kept for a key in this program. */
  get(key: K): V | undefined {
    return this.current().get(key);
  }

  /** Whether a value is kept for a key in this program. */
  has(key: K): boolean {
    return this.current().has(key);
  }

  /** Keep a value for a key until the program changes. */
  set(key: K, value: V): this {
    this.current().set(key, value);
    return this;
  }
}
