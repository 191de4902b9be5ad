// ESM loader hooks of the Node runtime (registered by register.mjs with module.register): an
// `import` of an instrumented library by its package name resolves to a small wrapper module
// that re-exports the library with the instrumented classes and functions in place of its own.
// The library's own files are loaded unchanged (its entry under a `lockorder-real` query, so the
// wrapper can reach it).

import { libraries, libraryOf } from './libraries.mjs';

const wrapTag = 'lockorder-wrap';
const realTag = 'lockorder-real';

/**
 * Resolve as Node does, then point an instrumented library's ESM entry at its wrapper.
 * @param {string} specifier @param {{ parentURL?: string }} context @param {Function} next
 */
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  const url = String(result.url);
  if (!url.startsWith('file:') || url.includes(realTag) || url.includes(wrapTag) || result.format === 'commonjs') return result;
  const name = libraryOf(url);
  // Only the package's entry: its own files import one another by relative paths (p-queue's
  // `./priority-queue.js`), and those must stay the library's. The entry is also reached by its
  // file path: test runners (Vitest) import a dependency through the path they resolved.
  if (!name || (specifier !== name && !(await isEntry(url, name, context, next)))) return result;
  return { ...result, url: `${url}${url.includes('?') ? '&' : '?'}${wrapTag}=${encodeURIComponent(name)}`, format: 'module' };
}

/** @type {Map<string, boolean>} resolved URL -> whether it is its library's entry */
const entries = new Map();

/**
 * Whether `url`, a file of the library `name`, is the file its package name resolves to.
 * @param {string} url @param {string} name @param {{ parentURL?: string }} context @param {Function} next
 */
async function isEntry(url, name, context, next) {
  let known = entries.get(url);
  if (known === undefined) {
    try {
      known = String((await next(name, { ...context, parentURL: url })).url) === url;
    } catch {
      known = false;
    }
    entries.set(url, known);
  }
  return known;
}

/**
 * Load a wrapper module's source; everything else as Node does.
 * @param {string} url @param {object} context @param {Function} next
 */
export async function load(url, context, next) {
  const tag = url.indexOf(`${wrapTag}=`);
  // A URL carrying both tags is the library itself: a loader chained before this one (tsx) takes
  // the query off a specifier and puts it back on the result, after this one tagged it again.
  if (tag < 0 || url.includes(`${realTag}=`)) return next(url, context);
  const name = decodeURIComponent(url.slice(tag + wrapTag.length + 1).split('&')[0]);
  const library = libraries[name];
  const real = JSON.stringify(url.replace(`${wrapTag}=`, `${realTag}=`));
  if (library.exportsItself) {
    const source = [
      `import real from ${real};`,
      `import { ${library.build} as build } from ${JSON.stringify(library.module)};`,
      'export default build(real);',
    ].join('\n');
    return { format: 'module', source, shortCircuit: true };
  }
  const lines = [
    `import * as real from ${real};`,
    `import { ${library.build} as build } from ${JSON.stringify(library.module)};`,
    `export * from ${real};`,
    'const tracked = build(real);',
    ...library.replaced.map((n) => `export const ${n} = tracked.${n};`),
    ...(library.defaultExport ? ['export default tracked.default;'] : []),
  ];
  return { format: 'module', source: lines.join('\n'), shortCircuit: true };
}
