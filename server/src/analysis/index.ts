// Public entry of the analysis engine. The CLI, the language server and the tests all
// call `analyze()` or a long-lived `Project`; nothing here imports LSP or VS Code code.

export * from './types';
export { Project } from './project';
export type { EdgeLock, LineSite, LockHover, OrderNeighbour, StaticOrderEdge } from './project';
export { UnknownLockError } from './lockGraphView';
export type { GraphCluster, GraphEdge, GraphInputs, GraphNode, GraphPlace, GraphSelection, GraphSite, LockGraph } from './lockGraphView';
export { ruleRegistry, runtimeRuleRegistry, ruleByCode, ruleDocsUrl, repositoryUrl } from './rules/registry';
export { initParser, isShortRun, isSourceFile, parserDescription, sourceLanguage } from './frontEnds';
export { AnalysisCache } from './cache/analysisCache';
export type { CacheStats } from './cache/analysisCache';
export { encodeFacts, decodeFacts } from './parallel/factsCodec';

import { Project } from './project';
import { isShortRun } from './frontEnds';
import type { AnalysisResult, AnalyzeOptions, SourceFile } from './types';

/** Analyze a set of source files as one program and return every finding. */
export async function analyze(files: SourceFile[], options: AnalyzeOptions = {}): Promise<AnalysisResult> {
  const project = await Project.create({ warm: false, shortRun: isShortRun(files.map((f) => f.text)) });
  await project.addFiles(files);
  try {
    return project.analyze(options);
  } finally {
    project.dispose();
  }
}
