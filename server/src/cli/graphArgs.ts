// Command-line parsing for `lockorder graph`: paths, the drawing format, and which part of
// the lock-order graph to draw. Only the shape of the arguments is checked here.

import { parseSize, UsageError } from './args';
import { scanOptions, type OptionSpec } from './optionScan';
import { applyCacheOption, cacheFlags, cacheValued, defaultCacheArgs, type CacheArgs } from './cacheArgs';

/** The formats `lockorder graph` can write. */
export type GraphFormat = 'dot' | 'mermaid' | 'json';

/** The formats, in the order `--help` lists them. */
export const graphFormats: GraphFormat[] = ['dot', 'mermaid', 'json'];

/** The options of `lockorder graph`. */
export interface GraphArgs extends CacheArgs {
  command: 'graph';
  /** Files or directories as given; empty means the current directory. */
  paths: string[];
  format: GraphFormat;
  /** `--cycles`: only what lies on a lock-order cycle. */
  cyclesOnly: boolean;
  /** `--focus LOCK`: one lock and its neighbours. */
  focus?: string;
  /** `--depth N`: how far from the focus to go (default 1). */
  depth?: number;
  /** Globs from every `--exclude`, split on commas. */
  exclude: string[];
  /** `--order-file PATH`: the declared lock hierarchy (default: ./lockorder.order if present). */
  orderFile?: string;
  /** `--max-file-size SIZE` in bytes. */
  maxFileBytes?: number;
}

const graphSpec: OptionSpec = {
  flags: new Set(['--cycles', ...cacheFlags]),
  valued: new Set(['--format', '--focus', '--depth', '--exclude', '--order-file', '--max-file-size', ...cacheValued]),
  unknown: (name) => `unknown option for graph: ${name}`,
};

/** Parse the arguments after `graph`. Throws UsageError on a mistake. */
export function parseGraph(argv: string[]): GraphArgs {
  const args: GraphArgs = { command: 'graph', paths: [], format: 'dot', cyclesOnly: false, exclude: [], ...defaultCacheArgs() };
  for (const item of scanOptions(argv, graphSpec)) {
    if ('path' in item) args.paths.push(item.path);
    else if ('flag' in item) {
      if (!applyCacheOption(args, item.flag)) args.cyclesOnly = true;
    } else if (!applyCacheOption(args, item.name, item.value)) applyOption(args, item.name, item.value);
  }
  if (args.depth !== undefined && args.focus === undefined) throw new UsageError('--depth needs --focus LOCK');
  return args;
}

/** Record one option's value. */
function applyOption(args: GraphArgs, name: string, value: string): void {
  if (name === '--format') {
    if (!(graphFormats as string[]).includes(value)) {
      throw new UsageError(`unknown graph format: ${value} (expected one of: ${graphFormats.join(', ')})`);
    }
    args.format = value as GraphFormat;
  } else if (name === '--focus') {
    if (value.trim() === '') throw new UsageError('--focus needs a lock name');
    args.focus = value.trim();
  } else if (name === '--depth') {
    if (!/^\d{1,4}$/.test(value.trim())) throw new UsageError(`bad --depth: ${value} (expected a whole number from 0 to 9999)`);
    args.depth = Number(value.trim());
  } else if (name === '--order-file') {
    args.orderFile = value;
  } else if (name === '--max-file-size') {
    args.maxFileBytes = parseSize(value);
  } else {
    const items = value.split(',').map((s) => s.trim()).filter((s) => s !== '');
    if (items.length === 0) throw new UsageError(`${name} needs a value`);
    args.exclude.push(...items);
  }
}
