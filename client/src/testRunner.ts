// Which tests "Run Tests with Lock-Order Checking" runs in a workspace folder: the Node ones
// (`npm test`, when package.json has a real test script) or the Python ones (pytest), from what
// the folder holds and, when it holds both, the language of the file being edited. Pure
// functions, no VS Code API.

/** The test runners the command knows. */
export type TestRunner = 'npm' | 'pytest';

/** What a folder holds, as far as the choice goes. */
export interface FolderFacts {
  /** package.json's `scripts.test`, when it has one that is not npm's placeholder. */
  npmTest: string | undefined;
  /** Whether the folder has Python project or test files (pyproject.toml, setup.py, pytest.ini, conftest.py, ...). */
  python: boolean;
}

/** Files whose presence makes a folder a Python project for this choice. */
export const pythonMarkers = ['pyproject.toml', 'setup.py', 'setup.cfg', 'pytest.ini', 'tox.ini', 'conftest.py', 'requirements.txt'];

/** The test script `npm init` writes, which only fails. */
const placeholder = /no test specified/;

/** package.json's real test script, or undefined (no file, bad JSON, no script, the placeholder). */
export function npmTestScript(packageJson: string | undefined): string | undefined {
  if (packageJson === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(packageJson);
  } catch {
    return undefined;
  }
  const scripts = typeof value === 'object' && value !== null ? (value as { scripts?: unknown }).scripts : undefined;
  const test = typeof scripts === 'object' && scripts !== null ? (scripts as { test?: unknown }).test : undefined;
  return typeof test === 'string' && test.trim() !== '' && !placeholder.test(test) ? test : undefined;
}

/**
 * The runner for a folder: npm when only Node tests are there, pytest when only Python is (or
 * nothing tells: pytest finds test_*.py files by itself, as before); with both, the language of
 * the active editor decides, else 'ask'.
 */
export function testRunnerFor(facts: FolderFacts, activeLanguage: string | undefined): TestRunner | 'ask' {
  if (facts.npmTest === undefined) return 'pytest';
  if (!facts.python) return 'npm';
  if (activeLanguage === 'python') return 'pytest';
  if (activeLanguage && /^(javascript|typescript)(react)?$/.test(activeLanguage)) return 'npm';
  return 'ask';
}
