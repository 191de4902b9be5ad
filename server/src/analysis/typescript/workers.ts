// Worker threads a file starts (`new Worker(script, { workerData })` from worker_threads), what
// it hands them (workerData's properties, posted messages), and, from a worker script's side, the
// files that start it. Shared by the Atomics wait check (atomicsWaits.ts) and the Atomics locks
// named by their buffer (atomicsLocks.ts).

import * as fs from 'node:fs';
import * as path from 'node:path';
import { Node, SyntaxKind, type SourceFile } from 'ts-morph';
import { isPackageFunction } from './packages';
import { touchScope } from './unitReuse';

/** A worker a file starts: its script, the names it hands it (constructor and posted messages), and whether a handler answers it. */
export interface StartedWorker {
  /** The script it runs, when the project (or the disk) has it. */
  readonly file: string | undefined;
  shares: Set<string>;
  answers: boolean;
  /** workerData's properties as given (`{ workerData: { s: cells } }` → `cells`, a shorthand `{ cells }` as itself); '' when workerData is one value. */
  data: Map<string, Node>;
  /** What `worker.postMessage(x)` posts. */
  posted: Node[];
  /** The file that starts it. */
  from: SourceFile;
}

/** Keyed by the parse (ts-morph keeps one SourceFile wrapper across re-parses of an edited file). */
const started = new WeakMap<object, StartedWorker[]>();

/** The workers a file starts with `new Worker(script, …)` from worker_threads, worked out once per parse. */
export function startedWorkers(sf: SourceFile): StartedWorker[] {
  let out = started.get(sf.compilerNode);
  if (out) return out;
  out = [];
  for (const made of sf.getDescendantsOfKind(SyntaxKind.NewExpression)) {
    const callee = made.getExpression();
    if (!/(^|\.)Worker$/.test(callee.getText()) || !fromWorkerThreads(callee)) continue;
    const script = made.getArguments()[0];
    const candidates = script && scriptFiles(sf, script);
    const holder = holderText(made);
    if (!candidates || !holder) continue;
    const shares = new Set(names(made.getArguments().slice(1)));
    const worker: StartedWorker = {
      // Which candidate is the script is looked up at each use: the project may gain or lose it without this file changing.
      get file() { return candidates.find((c) => sf.getProject().getSourceFile(c)) ?? candidates.find((c) => fs.existsSync(c)); },
      shares, answers: false, data: workerData(made.getArguments()[1]), posted: [], from: sf,
    };
    for (const c of sf.getDescendantsOfKind(SyntaxKind.CallExpression)) {
      const e = c.getExpression();
      if (!Node.isPropertyAccessExpression(e) || e.getExpression().getText() !== holder) continue;
      if (e.getName() === 'postMessage') {
        names(c.getArguments()).forEach((n) => shares.add(n));
        if (c.getArguments()[0]) worker.posted.push(c.getArguments()[0]);
      }
      if (['on', 'once', 'addListener', 'addEventListener'].includes(e.getName()) && c.getArguments()[0]?.getText().replace(/["'`]/g, '') === 'message') {
        const handler = c.getArguments()[1];
        worker.answers ||= !!handler && handler.getDescendantsOfKind(SyntaxKind.CallExpression)
          .some((p) => p.getExpression().getText() === `${holder}.postMessage`);
      }
    }
    out.push(worker);
  }
  started.set(sf.compilerNode, out);
  return out;
}

/** The workers of the project that run `sf` as their script (every file was read for `Worker`: one that gains it may start it). */
export function startersOf(sf: SourceFile): StartedWorker[] {
  const me = sf.getFilePath();
  const out: StartedWorker[] = [];
  for (const other of sf.getProject().getSourceFiles()) {
    if (other === sf) continue;
    touchScope(other, 'Worker');
    if (other.compilerNode.text.includes('Worker')) out.push(...startedWorkers(other).filter((w) => w.file === me));
  }
  return out;
}

/** Whether an expression names something imported (or required) from worker_threads. */
export function fromWorkerThreads(expr: Node): boolean {
  return isPackageFunction(expr, 'worker_threads') || isPackageFunction(expr, 'node:worker_threads');
}

/** workerData's properties in a Worker's options (`{ workerData: { shared, s: cells } }`); '' for a workerData given as one value. */
function workerData(options: Node | undefined): Map<string, Node> {
  const out = new Map<string, Node>();
  const prop = options && Node.isObjectLiteralExpression(options) ? options.getProperty('workerData') : undefined;
  const value = prop && Node.isPropertyAssignment(prop) ? prop.getInitializer() : prop && Node.isShorthandPropertyAssignment(prop) ? prop : undefined;
  if (!value) return out;
  if (!Node.isObjectLiteralExpression(value)) return out.set('', value);
  for (const p of value.getProperties()) {
    if (Node.isShorthandPropertyAssignment(p)) out.set(p.getName(), p);
    else if (Node.isPropertyAssignment(p) && p.getInitializer()) out.set(p.getName(), p.getInitializer()!);
  }
  return out;
}

/** What a `new Worker(…)` is stored in, as written where it is used (`worker`, `this.worker`). */
function holderText(made: Node): string | undefined {
  const up = made.getParent();
  if (up && Node.isVariableDeclaration(up) && Node.isIdentifier(up.getNameNode())) return up.getName();
  if (up && Node.isBinaryExpression(up) && up.getOperatorToken().getKind() === SyntaxKind.EqualsToken) return up.getLeft().getText();
  if (up && Node.isPropertyDeclaration(up)) return `this.${up.getName()}`;
  return undefined;
}

/** The identifiers written in some arguments (`{ workerData: { shared } }` → `workerData`, `shared`). */
function names(args: Node[]): string[] {
  return args.flatMap((a) => [a, ...a.getDescendantsOfKind(SyntaxKind.Identifier)]).filter(Node.isIdentifier).map((i) => i.getText());
}

/**
 * The files a worker script may be: `new URL('./w.js', import.meta.url)`, `path.join(__dirname, 'w.js')`,
 * or a relative literal; a `.js` name stands for its `.ts` source when that is what the project has.
 */
function scriptFiles(sf: SourceFile, script: Node): string[] | undefined {
  const dir = path.dirname(sf.getFilePath());
  let rel: string | undefined;
  if (Node.isStringLiteral(script)) rel = script.getLiteralValue();
  else if (Node.isNewExpression(script) && script.getExpression().getText() === 'URL' && script.getArguments()[1]?.getText() === 'import.meta.url') {
    const a = script.getArguments()[0];
    rel = a && Node.isStringLiteral(a) ? a.getLiteralValue() : undefined;
  } else if (Node.isCallExpression(script) && /(^|\.)(join|resolve)$/.test(script.getExpression().getText())) {
    const [first, ...rest] = script.getArguments();
    if (first?.getText() === '__dirname' && rest.every((r) => Node.isStringLiteral(r))) rel = path.join(...rest.map((r) => (r as Node & { getLiteralValue(): string }).getLiteralValue()));
  }
  if (!rel || !rel.startsWith('.') && !Node.isCallExpression(script)) return undefined;
  const full = path.resolve(dir, rel);
  return [full, full.replace(/\.js$/, '.ts'), full.replace(/\.mjs$/, '.mts'), full.replace(/\.cjs$/, '.cts')];
}

/** `parentPort` (or `parentPort!`) from worker_threads. */
export function isParentPortName(expr: Node): boolean {
  if (Node.isNonNullExpression(expr)) return isParentPortName(expr.getExpression());
  return expr.getText() === 'parentPort' && fromWorkerThreads(expr);
}
