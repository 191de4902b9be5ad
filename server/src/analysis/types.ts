// Shared, language-neutral types of the analysis engine: source positions, lock events,
// findings, fixes and rule metadata. Nothing here knows about LSP or VS Code.

/** A zero-based line and a zero-based UTF-16 column, as LSP counts them. */
export interface Position {
  line: number;
  character: number;
}

/** A half-open range in one file. */
export interface Range {
  start: Position;
  end: Position;
}

/** A range in a named file (an absolute path, or the path the caller gave). */
export interface Location {
  file: string;
  range: Range;
}

/** Rule codes. Fixed by the product design: never reuse one. */
export type RuleCode = 'LO101' | 'LO102' | 'LO103' | 'LO104' | 'LO105' | 'LO106' | 'LO107' | 'LO110';

/** How loud a finding is. */
export type Severity = 'error' | 'warning' | 'information' | 'hint';

/** The kind of a lock, as its constructor says. */
export type LockKind =
  | 'Lock' | 'RLock' | 'Semaphore' | 'BoundedSemaphore' | 'Condition'
  | 'asyncio.Lock' | 'asyncio.Semaphore' | 'asyncio.Condition'
  | 'async-mutex.Mutex' | 'async-mutex.Semaphore' | 'async-lock' | 'p-limit' | 'p-queue' | 'async-sema' | 'web-locks' | 'promise-mutex' | 'promise-semaphore' | 'atomics-mutex' | 'unknown';

/**
 * A lock class in lockdep's sense: every lock created at one site. `name` is how
 * diagnostics and hover name it: `module.name`, `module.Class.attr`, `module.list[]`.
 */
export interface LockClass {
  id: string;
  name: string;
  /** Short name for messages: `x_lock`, `Counter._lock`, `chopsticks[]`. */
  shortName: string;
  kind: LockKind;
  reentrant: boolean;
  /** How many holders it admits at once, when known: a counting semaphore's permits, a limiter's concurrency. */
  slots?: number;
  /** One lock (a module global or class attribute) or a family of instances. */
  family: boolean;
  created: Location;
  /** A lock named by one literal key of a family (TS/JS keyed locks): the family's name. */
  memberOf?: string;
}

/** A text edit: replace `range` in `file` by `newText`. */
export interface TextEdit {
  file: string;
  range: Range;
  newText: string;
}

/** A fix the editor can offer. It travels in `Diagnostic.data`, so it is self-contained. */
export interface Fix {
  title: string;
  /** Safe fixes are applied by "fix all"; unsafe ones only on request. */
  safe: boolean;
  edits: TextEdit[];
}

/** Another site of a finding, with what happens there. */
export interface RelatedSite {
  location: Location;
  message: string;
}

/** One problem found. The CLI, the server and the tests all see this same shape. */
export interface Finding {
  code: RuleCode;
  /** The rule's kebab-case name, e.g. `lock-order-inversion`. */
  rule: string;
  severity: Severity;
  message: string;
  location: Location;
  related: RelatedSite[];
  fixes: Fix[];
  /** Lock classes involved, by id; lets the editor merge static and runtime findings. */
  locks: string[];
}

/** Documentation a rule carries; `docs/rules/<CODE>.md` is generated from it. */
export interface RuleDocs {
  whatItDoes: string;
  whyIsThisBad: string;
  example: string;
  useInstead: string;
  fixSafety: string;
}

/** What every rule declares about itself. */
export interface RuleMeta {
  code: RuleCode;
  name: string;
  summary: string;
  defaultSeverity: Severity;
  docs: RuleDocs;
}

/** A source file handed to the engine. */
export interface SourceFile {
  /** Absolute path (or any stable key; it is echoed back in locations). */
  path: string;
  text: string;
}

/** Per-rule settings. */
export interface RuleSetting {
  enabled?: boolean;
  severity?: Severity;
}

/** Options of one analysis run. */
export interface AnalyzeOptions {
  /** Only these codes (default: all). */
  select?: RuleCode[];
  /** Never these codes. */
  ignore?: RuleCode[];
  /** Per-code overrides, as the editor's `lockorder.rules` setting gives them. */
  rules?: Partial<Record<RuleCode, RuleSetting>>;
  /** The declared lock hierarchy (`lockorder.order`), if any. */
  orderFile?: { path: string; text: string };
}

/** A file the engine could not use, and why. */
export interface FileProblem {
  file: string;
  message: string;
  /** 0-based line the problem is on, when it is about one line (order files). */
  line?: number;
}

/** The result of `analyze()`. */
export interface AnalysisResult {
  findings: Finding[];
  locks: LockClass[];
  /** Files skipped or only partly parsed, with a readable reason. */
  problems: FileProblem[];
  /** Suppression comments naming unknown codes, or that suppressed nothing in this run. */
  suppressionNotes: SuppressionNote[];
}

/**
 * A `# lockorder: ignore` comment worth a word. Not a finding (it has no rule code): the CLI
 * prints it as a warning, the editor as a hint.
 */
export interface SuppressionNote {
  /** `unknown-code`: it names a code no rule has; `unused`: it suppressed nothing in this run. */
  kind: 'unknown-code' | 'unused';
  file: string;
  /** 0-based line of the comment. */
  line: number;
  /** The unknown codes, or the unused ones (empty: a bare `ignore` that suppressed nothing). */
  codes: string[];
  /** The comment's range. */
  range: Range;
  message: string;
  /** The edit that removes the unused or unknown part, when there is a safe one. */
  fix?: Fix;
}
