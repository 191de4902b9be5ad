// A cold analysis of a set of TS/JS files, for test/ts-edit-folders.test.mjs: run in a child
// process, since the TypeScript front end keeps per-path state for the life of the process.
// Reads {files, texts} as JSON on stdin; writes every file's facts and the findings as JSON.

import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';

const require = createRequire(import.meta.url);
const { Project } = require('../dist/analysis.js');
const { files, texts } = JSON.parse(readFileSync(0, 'utf8'));
const replacer = (_, v) => (v instanceof Map ? [...v] : v instanceof Set ? [...v] : v);
const project = await Project.create();
// All files at once: the type checker sees the whole batch before any file is walked.
await project.addFiles(files.map((path) => ({ path, text: texts[path] })));
process.stdout.write(JSON.stringify({ facts: files.map((f) => project.factsOf(f)), findings: project.analyze().findings }, replacer));
project.dispose();
