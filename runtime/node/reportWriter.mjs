// The Node runtime's one report writer: JSON Lines in the schema of the Python runtime
// (version 1, plus `language` and `threadId`), one whole record per synchronous write on an
// append-mode descriptor, so a killed process leaves every earlier record readable. A report
// file deleted or replaced during the run (the editor's "Clear Run-Time Reports") is noticed at
// the next record, which goes to a new file at the same path.

import { closeSync, fstatSync, mkdirSync, openSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { threadId } from 'node:worker_threads';

/** The report schema version written (the same as the Python runtime's). */
export const schemaVersion = 1;

/** Rule code -> rule name, as in the Python runtime and the rule pages. */
export const ruleNames = {
  LO101: 'lock-order-inversion',
  LO102: 'self-deadlock',
  LO103: 'ordered-acquire-violation',
  LO104: 'unreleased-lock',
  LO110: 'deadlock',
};

/**
 * UTC time as ISO 8601 with milliseconds.
 * @param {number} [now]
 */
export function isoTime(now = Date.now()) {
  return new Date(now).toISOString();
}

/**
 * Build a schema-version-1 record; keys in the order the report reader expects
 * (`version` then `rule` first).
 * @param {keyof typeof ruleNames} rule @param {string} message @param {object[]} locks
 * @param {{ edges?: object[], threads?: object[], thread?: string }} parts
 */
export function makeRecord(rule, message, locks, parts = {}) {
  /** @type {Record<string, unknown>} */
  const record = {
    version: schemaVersion, rule, name: ruleNames[rule], message, time: isoTime(),
    pid: process.pid, language: 'javascript', threadId,
    thread: parts.thread ?? 'main', argv: process.argv.slice(1), locks,
  };
  if (parts.edges) record.edges = parts.edges;
  if (parts.threads) record.threads = parts.threads;
  return record;
}

/** Appends records to this process's report file, opened on first write. */
export class ReportWriter {
  /** @param {string} reportDir an absolute folder */
  constructor(reportDir) {
    this.reportDir = reportDir;
    /** Records written by this process. */
    this.records = 0;
    /** Of those, records in the file open now. */
    this.inFile = 0;
    /** Records that went to a file deleted or replaced since. */
    this.gone = 0;
    /** @type {string | null} why the last write failed */
    this.failed = null;
    /** @type {number | null} */
    this.fd = null;
    /** @type {string | null} "dev:ino" of the file open now */
    this.identity = null;
  }

  /** The report file of this process. */
  get path() {
    return join(this.reportDir, `lockorder-${process.pid}.jsonl`);
  }

  /**
   * Append one record as one JSON line; false when it could not be written.
   * @param {object} record
   */
  write(record) {
    const data = Buffer.from(`${JSON.stringify(record)}\n`, 'utf8');
    try {
      const fd = this.open();
      let done = 0;
      while (done < data.length) done += writeSync(fd, data, done);
    } catch (error) {
      if (this.failed === null) {
        this.failed = String(/** @type {Error} */ (error).message ?? error);
        process.stderr.write(`lockorder: cannot write report ${this.path}: ${this.failed}\n`);
      }
      return false;
    }
    this.records += 1;
    this.inFile += 1;
    return true;
  }

  /** The descriptor of the report file, reopened when the file was deleted or replaced. */
  open() {
    if (this.fd !== null && !this.stillThere()) {
      try { closeSync(this.fd); } catch { /* already gone */ }
      this.fd = null;
      this.gone += this.inFile;
      this.inFile = 0;
    }
    if (this.fd === null) {
      mkdirSync(this.reportDir, { recursive: true });
      this.fd = openSync(this.path, 'a', 0o644);
      const stat = fstatSync(this.fd);
      this.identity = `${stat.dev}:${stat.ino}`;
    }
    return this.fd;
  }

  /** Whether the path still names the file this process last wrote to. */
  stillThere() {
    try {
      const stat = statSync(this.path);
      return this.identity === `${stat.dev}:${stat.ino}`;
    } catch {
      return false;
    }
  }

  /** For the exit summary: which file holds this process's records, and what was lost. */
  where() {
    if (this.records === 0 && this.failed !== null) return `No report written: ${this.failed}`;
    if (this.records === 0) return `No report written (report dir ${this.reportDir})`;
    const there = this.fd !== null && this.stillThere();
    const held = there ? this.inFile : 0;
    const gone = this.gone + (there ? 0 : this.inFile);
    if (held === 0) {
      return `No report file holds this run's records: ${this.path} was deleted during the run (${plural(gone, 'record')})`;
    }
    let text = `Report: ${this.path} (${plural(held, 'record')})`;
    if (gone) text += `; ${plural(gone, 'earlier record')} went to a report file deleted during the run`;
    return text;
  }
}

/**
 * "1 record", "2 records".
 * @param {number} n @param {string} word
 */
function plural(n, word) {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
