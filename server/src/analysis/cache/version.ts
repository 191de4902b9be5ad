// The version every cache entry carries: the engine's build identity and the grammar's version
// (set by scripts/build.mjs), and the entry format. An entry of another version is never read.

declare const LOCKORDER_ENGINE_ID: string | undefined;
declare const LOCKORDER_GRAMMAR_ID: string | undefined;

/** The on-disk entry format; bump it when entries change shape. */
const FORMAT = 3;

/** `<format>:<engine>:<grammar>`; `dev` parts when not built by scripts/build.mjs. */
export const cacheVersion = `${FORMAT}:${typeof LOCKORDER_ENGINE_ID === 'string' ? LOCKORDER_ENGINE_ID : 'engine-dev'}:${
  typeof LOCKORDER_GRAMMAR_ID === 'string' ? LOCKORDER_GRAMMAR_ID : 'grammar-dev'}`;
