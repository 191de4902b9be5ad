// The command-line options that the lockorder.runtime.* settings add to the run commands:
// `python -m lockorder run` (Run with Lock-Order Checking) and pytest with the lockorder
// plugin (Run Tests). Pure functions, no VS Code API, so tests can check them directly.

/** The run-time settings that become command-line options. */
export interface RuntimeSettings {
  /** Seconds a blocked thread waits before the watchdog looks for a deadlock (0 = off). */
  watchdogSeconds: unknown;
  /** Raise LockOrderViolation / DeadlockError in the culprit thread. */
  raise: unknown;
}

/** Default watchdog limit, as in the runtime. */
export const DEFAULT_WATCHDOG_SECONDS = 10;

/** The watchdog limit to pass: the setting when it is a number >= 0, else the default. */
export function watchdogSeconds(settings: RuntimeSettings): number {
  const value = settings.watchdogSeconds;
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : DEFAULT_WATCHDOG_SECONDS;
}

/** Options for `python -m lockorder run`, before the script. */
export function runOptions(settings: RuntimeSettings): string[] {
  const args = ['--watchdog', String(watchdogSeconds(settings))];
  if (settings.raise === true) args.push('--raise');
  return args;
}

/** Options for pytest with `-p lockorder.pytest_plugin`. */
export function pytestOptions(settings: RuntimeSettings): string[] {
  const args = ['--lockorder-watchdog', String(watchdogSeconds(settings))];
  if (settings.raise === true) args.push('--lockorder-raise');
  return args;
}
