// Results of rules' scans over files, kept between analyses: a scan runs once per file
// until an edit touches that file. Keyed scans are also indexed across files (in module
// order), so a rule can ask "every site of lock L" without visiting every file each time.

/** A scan's output for one file: values under keys (a key may repeat). */
export type KeyedValues<V> = [string, V][];

interface Entry<V> {
  order: number;
  file: string;
  values: V[];
}

class KeyedIndex<V> {
  readonly byKey = new Map<string, Entry<V>[]>();
  readonly keysOf = new Map<string, Set<string>>();
  stale = new Set<string>();
}

/** Per-file scan results and their cross-file indexes. */
export class Scans {
  private perFile = new Map<string, Map<string, unknown>>();
  private indexes = new Map<string, KeyedIndex<unknown>>();

  /** `order` gives each file's position in the program (results come back in that order). */
  constructor(private readonly files: () => Iterable<string>, private readonly order: (file: string) => number) {}

  /** A scan of one file, computed once until the file is dropped. */
  of<T>(name: string, file: string, compute: () => T): T {
    let scans = this.perFile.get(file);
    if (!scans) this.perFile.set(file, (scans = new Map()));
    if (!scans.has(name)) scans.set(name, compute());
    return scans.get(name) as T;
  }

  /** Every value a keyed scan found under `key`, across files in program order. */
  keyed<V>(name: string, key: string, compute: (file: string) => KeyedValues<V>): V[] {
    const index = this.indexOf<V>(name);
    for (const file of index.stale) this.refresh(index, file, compute(file));
    index.stale.clear();
    const out: V[] = [];
    for (const e of index.byKey.get(key) ?? []) for (const v of e.values) out.push(v);
    return out;
  }

  /** Forget what was found in these files (they changed). */
  drop(files: Iterable<string>): void {
    for (const file of files) {
      this.perFile.delete(file);
      for (const index of this.indexes.values()) index.stale.add(file);
    }
  }

  private indexOf<V>(name: string): KeyedIndex<V> {
    let index = this.indexes.get(name) as KeyedIndex<V> | undefined;
    if (!index) {
      this.indexes.set(name, (index = new KeyedIndex<V>()) as KeyedIndex<unknown>);
      for (const file of this.files()) index.stale.add(file);
    }
    return index;
  }

  private refresh<V>(index: KeyedIndex<V>, file: string, found: KeyedValues<V>): void {
    for (const key of index.keysOf.get(file) ?? []) {
      const list = index.byKey.get(key)?.filter((e) => e.file !== file);
      if (list?.length) index.byKey.set(key, list);
      else index.byKey.delete(key);
    }
    const grouped = new Map<string, V[]>();
    for (const [key, value] of found) {
      const values = grouped.get(key);
      if (values) values.push(value);
      else grouped.set(key, [value]);
    }
    index.keysOf.set(file, new Set(grouped.keys()));
    const order = this.order(file);
    for (const [key, values] of grouped) {
      const list = index.byKey.get(key) ?? [];
      let at = list.length;
      while (at > 0 && list[at - 1].order > order) at--;
      list.splice(at, 0, { order, file, values });
      index.byKey.set(key, list);
    }
  }
}
