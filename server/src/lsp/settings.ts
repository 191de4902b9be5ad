// The `lockorder.*` settings: their defaults, validation of whatever the client sends, and a
// per-resource cache that asks the client (`workspace/configuration`) and is cleared on change.

import type { Connection } from 'vscode-languageserver/node';
import { ruleRegistry, type RuleCode, type RuleSetting, type Severity } from '../analysis';

/** The settings that apply to one file or workspace folder. */
export interface Settings {
  enable: boolean;
  rules: Partial<Record<RuleCode, RuleSetting>>;
  exclude: string[];
  /** Glob (relative to the workspace folder) of the runtime's report files to show. */
  runtimeReports: string;
  /** The declared lock order, relative to the workspace folder (read only inside one: orderFileRead.ts). */
  orderFile: string;
}

/** Folders no one wants analyzed; `lockorder.exclude` replaces this list. */
export const defaultExclude = [
  '**/.git/**', '**/node_modules/**', '**/site-packages/**', '**/.venv/**', '**/venv/**',
  '**/__pycache__/**', '**/.tox/**', '**/.mypy_cache/**',
];

/** Where `python -m lockorder run --report-dir <folder>/.lockorder` writes its reports. */
export const defaultRuntimeReports = '.lockorder/**/*.jsonl';

/** Settings when the client sends none. */
export const defaultSettings: Settings = {
  enable: true, rules: {}, exclude: defaultExclude, runtimeReports: defaultRuntimeReports, orderFile: 'lockorder.order',
};

const severities: Severity[] = ['error', 'warning', 'information', 'hint'];

/** Turn whatever the client sent under `lockorder` into valid settings, ignoring bad values. */
export function parseSettings(raw: unknown): Settings {
  const obj = isRecord(raw) ? raw : {};
  const enable = typeof obj.enable === 'boolean' ? obj.enable : defaultSettings.enable;
  const exclude = Array.isArray(obj.exclude) ? obj.exclude.filter((g): g is string => typeof g === 'string') : defaultExclude;
  const rules: Partial<Record<RuleCode, RuleSetting>> = {};
  const rawRules = isRecord(obj.rules) ? obj.rules : {};
  const perRule = isRecord(obj.severity) ? obj.severity : {};
  for (const meta of ruleRegistry) {
    const r = rawRules[meta.code];
    if (!isRecord(r)) {
      const level = fromSeverityLevel(perRule[meta.code]);
      if (level) rules[meta.code] = level;
      continue;
    }
    const setting: RuleSetting = {};
    if (typeof r.enabled === 'boolean') setting.enabled = r.enabled;
    if (typeof r.severity === 'string' && (severities as string[]).includes(r.severity)) setting.severity = r.severity as Severity;
    rules[meta.code] = setting;
  }
  const runtime = isRecord(obj.runtime) ? obj.runtime : {};
  const runtimeReports = typeof runtime.reports === 'string' && runtime.reports.trim() ? runtime.reports.trim() : defaultRuntimeReports;
  const orderFile = typeof obj.orderFile === 'string' && obj.orderFile.trim() ? obj.orderFile.trim() : defaultSettings.orderFile;
  return { enable, rules, exclude, runtimeReports, orderFile };
}

/**
 * A `lockorder.severity.LOxxx` setting (the settings UI's per-rule dropdown): `off` turns the
 * rule off, a severity sets it, `default` (or anything else) leaves the rule as it is. An entry
 * for the same rule in `lockorder.rules` wins over it.
 */
function fromSeverityLevel(value: unknown): RuleSetting | undefined {
  if (value === 'off') return { enabled: false };
  if (typeof value === 'string' && (severities as string[]).includes(value)) return { severity: value as Severity };
  return undefined;
}

/** Whether a rule is on under these settings. */
export function ruleEnabled(settings: Settings, code: RuleCode): boolean {
  return settings.enable && settings.rules[code]?.enabled !== false;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Settings per resource: pulled from the client when it supports it, else pushed ones. */
export class SettingsStore {
  private readonly cache = new Map<string, Promise<Settings>>();
  private pushed: Settings;

  constructor(private readonly connection: Connection, private readonly canPull: boolean, initial: unknown) {
    this.pushed = initial === undefined ? defaultSettings : parseSettings(initial);
  }

  /** The settings for a file or folder URI (`undefined`: the window's). */
  get(scopeUri: string | undefined): Promise<Settings> {
    const key = scopeUri ?? '';
    let entry = this.cache.get(key);
    if (!entry) {
      entry = this.pull(scopeUri);
      this.cache.set(key, entry);
    }
    return entry;
  }

  /** Forget every cached value; `pushedRaw` is the `lockorder` object of a push, if any. */
  reset(pushedRaw?: unknown): void {
    this.cache.clear();
    if (pushedRaw !== undefined && pushedRaw !== null) this.pushed = parseSettings(pushedRaw);
  }

  private async pull(scopeUri: string | undefined): Promise<Settings> {
    if (!this.canPull) return this.pushed;
    try {
      const raw: unknown = await this.connection.workspace.getConfiguration({ scopeUri, section: 'lockorder' });
      return raw === null || raw === undefined ? this.pushed : parseSettings(raw);
    } catch (err) {
      this.connection.console.warn(`lockorder: could not read settings (${String(err)}); using defaults`);
      return this.pushed;
    }
  }
}
