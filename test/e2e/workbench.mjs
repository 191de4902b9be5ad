// Drives the VS Code workbench in headless Chromium (playwright-core) the way a user does: the
// keyboard (Ctrl+P, F1, Ctrl+G, Ctrl+Shift+M, Ctrl+.) and what is on screen (editor lines, the Problems
// panel, quick fixes, hovers, terminals, notifications). Waits on selectors only.

import { createRequire } from 'node:module';
import { join } from 'node:path';

const require = createRequire(import.meta.url);
const { chromium } = require('playwright-core');

const chromiumArgs = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

/** How long to wait for anything the workbench or the server has to do. */
export const waitMs = 20_000;

/** Open `url` in a fresh headless Chromium profile under `dir`; resolves once the workbench is up. */
export async function openWorkbench({ chromiumPath, url, dir }) {
  const context = await chromium.launchPersistentContext(join(dir, 'chromium-profile'), {
    executablePath: chromiumPath,
    headless: true,
    args: chromiumArgs,
    viewport: { width: 1400, height: 900 },
  });
  const page = context.pages()[0] ?? (await context.newPage());
  await page.goto(url);
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  // Keyboard shortcuts reach the workbench once it has focus.
  await page.locator('.monaco-workbench').click({ position: { x: 700, y: 450 } });
  return new Workbench(page, context);
}

/** A page showing the workbench, with the actions the scenarios need. */
export class Workbench {
  constructor(page, context) {
    this.page = page;
    this.context = context;
  }

  /** Open a workspace file through Quick Open (Ctrl+P) and wait until its editor shows it. */
  async openFile(name) {
    const { page } = this;
    await page.keyboard.press('Control+P');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ timeout: waitMs });
    await input.fill(name);
    await page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first().waitFor({ timeout: waitMs });
    await page.keyboard.press('Enter');
    await page.locator(`.tab.active[aria-label^="${name}"]`).waitFor({ timeout: waitMs });
    await this.editor().locator('.view-line').first().waitFor({ timeout: waitMs });
  }

  /**
   * Open a file from the Explorer (double-click its row) and wait until its editor shows it. For
   * files copied into the workspace during the run, which Quick Open may not list yet, and after
   * a terminal had the keyboard.
   */
  async openFromExplorer(name) {
    const { page } = this;
    const row = page.locator('.explorer-folders-view .monaco-list-row', { hasText: name }).first();
    await row.waitFor({ timeout: waitMs });
    await row.dblclick();
    await page.locator(`.tab.active[aria-label^="${name}"]`).waitFor({ timeout: waitMs });
    await this.editor().locator('.view-line').first().waitFor({ timeout: waitMs });
  }

  /** The active editor. */
  editor() {
    return this.page.locator('.editor-group-container.active .monaco-editor').first();
  }

  /** Move the cursor to a 1-based line and column with Go to Line (Ctrl+G). */
  async goTo(line, column) {
    const { page } = this;
    await page.keyboard.press('Control+G');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ timeout: waitMs });
    // Ctrl+G opens Quick Open in its ":" (go to line) mode; keep the prefix.
    await input.fill(`:${line}:${column}`);
    await page.keyboard.press('Enter');
    await input.waitFor({ state: 'hidden', timeout: waitMs });
  }

  /** Wait until a line of the active editor contains `text`. */
  async waitForLine(text) {
    await this.editor().locator('.view-line', { hasText: text }).first().waitFor({ timeout: waitMs });
  }

  /** Run a command by its title from the Command Palette (F1), as a user does. */
  async runCommand(title) {
    const { page } = this;
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ timeout: waitMs });
    // F1 opens Quick Open in its ">" (commands) mode; keep the prefix.
    await input.fill(`>${title}`);
    await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor({ timeout: waitMs });
    await page.keyboard.press('Enter');
    await input.waitFor({ state: 'hidden', timeout: waitMs });
  }

  /** Show the Problems panel (Ctrl+Shift+M, only when it is not already showing). */
  async showProblems() {
    if (await this.page.locator('.markers-panel').isVisible()) return;
    await this.page.keyboard.press('Control+Shift+M');
    await this.page.locator('.markers-panel').waitFor({ timeout: waitMs });
  }

  /** The Problems panel row whose text contains every string of `parts`. */
  problem(...parts) {
    let rows = this.page.locator('.markers-panel .monaco-list-row');
    for (const part of parts) rows = rows.filter({ hasText: part });
    return rows.first();
  }

  /** Wait until no Problems panel row contains every string of `parts`, with the panel still showing. */
  async problemGone(...parts) {
    await this.problem(...parts).waitFor({ state: 'detached', timeout: waitMs });
    if (!(await this.page.locator('.markers-panel').isVisible())) throw new Error('the Problems panel is no longer showing');
  }

  /**
   * Open the quick fixes at the cursor (Ctrl+.) and wait until one contains `title`; returns that
   * row. Right after a file opens, the server may not have answered yet and the menu does not open
   * ("No code actions available"): like a user, press Ctrl+. again.
   */
  async openQuickFixes(title) {
    const { page } = this;
    const row = page.locator('.action-widget .monaco-list-row', { hasText: title }).first();
    const deadline = Date.now() + waitMs;
    for (;;) {
      await page.keyboard.press('Control+.');
      try {
        await row.waitFor({ timeout: 2_000 });
        return row;
      } catch (error) {
        if (Date.now() > deadline) throw error;
        await page.keyboard.press('Escape');
      }
    }
  }

  /** The titles of the quick fixes at the cursor, once one contains `title`; the menu is closed again. */
  async quickFixes(title) {
    await this.openQuickFixes(title);
    const rows = this.page.locator('.action-widget .monaco-list-row');
    const offered = await rows.allInnerTexts();
    await this.page.keyboard.press('Escape');
    await rows.first().waitFor({ state: 'hidden', timeout: waitMs });
    return offered;
  }

  /** Apply the quick fix at the cursor whose title contains `title`; returns the titles offered. */
  async applyQuickFix(title) {
    const row = await this.openQuickFixes(title);
    const rows = this.page.locator('.action-widget .monaco-list-row');
    const offered = await rows.allInnerTexts();
    await row.click();
    await rows.first().waitFor({ state: 'hidden', timeout: waitMs });
    return offered;
  }

  /**
   * The active terminal's screen, once its text matches `pattern` (a regular expression: the DOM
   * renderer, which the test settings choose, shows spaces as non-breaking ones).
   */
  terminal(pattern) {
    return this.page.locator('.terminal-wrapper.active .xterm-rows', { hasText: pattern }).first();
  }

  /** Kill every terminal (F1, "Terminal: Kill All Terminals"), so that the next run's output is the only one. */
  async killTerminals() {
    await this.runCommand('Terminal: Kill All Terminals');
    await this.page.locator('.terminal-wrapper').first().waitFor({ state: 'detached', timeout: waitMs });
  }

  /** The notification toast whose text contains `text`. */
  notification(text) {
    return this.page.locator('.notifications-toasts .notification-toast', { hasText: text }).first();
  }

  /** The modal dialog, once its text contains `text`. */
  dialog(text) {
    return this.page.locator('.monaco-dialog-box', { hasText: text }).first();
  }

  /** Click the modal dialog's button labelled `label`, and wait for the dialog to close. */
  async clickDialogButton(label) {
    const box = this.page.locator('.monaco-dialog-box').first();
    await box.getByRole('button', { name: label, exact: true }).click();
    await box.waitFor({ state: 'detached', timeout: waitMs });
  }

  /** Dismiss every notification (F1, "Notifications: Clear All Notifications"). */
  async clearNotifications() {
    await this.runCommand('Notifications: Clear All Notifications');
    await this.page.locator('.notifications-toasts .notification-toast').first().waitFor({ state: 'detached', timeout: waitMs });
  }

  /** Show the hover at the cursor (Ctrl+K Ctrl+I), return its text, and close it (Escape). */
  async hoverAtCursor() {
    const { page } = this;
    await page.keyboard.press('Control+K');
    await page.keyboard.press('Control+I');
    const hover = this.editor().locator('.monaco-hover-content').filter({ visible: true }).first();
    await hover.waitFor({ timeout: waitMs });
    const text = await hover.innerText();
    await page.keyboard.press('Escape');
    await hover.waitFor({ state: 'detached', timeout: waitMs });
    return text;
  }

  /** Save a screenshot of the whole page. */
  async screenshot(path) {
    await this.page.screenshot({ path });
  }

  /** Close the browser. */
  async close() {
    await this.context.close();
  }
}
