// A one-line progress indicator on stderr, shown only when stderr is a terminal and
// there are many files; otherwise it stays silent so pipes and CI logs stay clean.

/** Where progress is drawn: a terminal stream, or one that stands in for it. */
export interface ProgressStream {
  isTTY?: boolean;
  write(text: string): unknown;
}

/** Files below this count finish too fast to need a progress line. */
export const progressThreshold = 200;

/** Progress over a known number of steps. */
export class Progress {
  private readonly active: boolean;
  private lastDraw = 0;

  constructor(private readonly total: number, private readonly label: string,
    private readonly stream: ProgressStream = process.stderr) {
    this.active = stream.isTTY === true && total >= progressThreshold;
  }

  /** Report that `done` steps are finished; redraws at most every 100 ms. */
  update(done: number): void {
    if (!this.active) return;
    const now = Date.now();
    if (now - this.lastDraw < 100 && done < this.total) return;
    this.lastDraw = now;
    this.stream.write(`\r\x1b[K${this.label} ${done}/${this.total} files`);
  }

  /** Replace the progress line by a message, e.g. for a step with no steps to count. */
  note(text: string): void {
    if (this.active) this.stream.write(`\r\x1b[K${text}`);
  }

  /** Erase the progress line. */
  finish(): void {
    if (this.active) this.stream.write('\r\x1b[K');
  }
}
