// Build support for the native parser (server/src/analysis/python/nativeParser.ts): an esbuild
// plugin that bundles the JavaScript of `tree-sitter` and `tree-sitter-python` but sends their
// binary lookup to nativeBinding.ts, and the copy of both packages' prebuilt binaries (every
// platform they ship) to dist/native/<platform>-<arch>/, where that lookup looks first.
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

/** The packages with native binaries, and the file their prebuilds are named. */
const PACKAGES = { 'tree-sitter': 'tree-sitter.node', 'tree-sitter-python': 'tree-sitter-python.node' };

/** Each package's entry file that loads its binary, and the expression that does it. */
const LOADERS = [
  { file: join('tree-sitter', 'index.js'), pkg: 'tree-sitter' },
  { file: join('tree-sitter-python', 'bindings', 'node', 'index.js'), pkg: 'tree-sitter-python' },
];

/** `typeof process.versions.bun === "string" ? require(`…prebuilds…`) : require("node-gyp-build")(dir)` */
const BINDING_EXPRESSION = /typeof process\.versions\.bun === "string"[\s\S]*?require\(["']node-gyp-build["']\)\((?:__dirname|root)\)/;

/** The esbuild plugin; `bindingModule` is the absolute path of nativeBinding.ts. */
export function nativeParserPlugin(bindingModule) {
  return {
    name: 'native-parser',
    setup(b) {
      b.onLoad({ filter: /[\\/]node_modules[\\/]tree-sitter(-python)?[\\/].*index\.js$/ }, (args) => {
        const loader = LOADERS.find((l) => args.path.endsWith(join('node_modules', l.file)));
        if (!loader) return undefined;
        const source = readFileSync(args.path, 'utf8');
        if (!BINDING_EXPRESSION.test(source)) {
          return { errors: [{ text: `${loader.file}: its binary loading changed; update scripts/nativeParser.mjs` }] };
        }
        const load = `require(${JSON.stringify(bindingModule)}).loadBinding(${JSON.stringify(loader.pkg)})`;
        return { contents: source.replace(BINDING_EXPRESSION, load), loader: 'js', resolveDir: dirname(args.path) };
      });
    },
  };
}

/** Copy every platform's prebuilt binaries of both packages to `dist/native/`; returns the platforms. */
export function copyNativeBinaries(dist) {
  const out = join(dist, 'native');
  rmSync(out, { recursive: true, force: true });
  const platforms = new Set();
  for (const [pkg, file] of Object.entries(PACKAGES)) {
    const prebuilds = join(dirname(require.resolve(`${pkg}/package.json`)), 'prebuilds');
    if (!existsSync(prebuilds)) continue;
    for (const platform of readdirSync(prebuilds)) {
      const from = join(prebuilds, platform, file);
      if (!existsSync(from)) continue;
      mkdirSync(join(out, platform), { recursive: true });
      copyFileSync(from, join(out, platform, file));
      platforms.add(platform);
    }
  }
  return [...platforms].sort();
}
