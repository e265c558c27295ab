/**
 * End to end in a browser: the real app, the Microsoft 365 Agents Playground (Teams channel emulation, signed
 * in as Sophie Durand from .m365agentsplayground.yml) and headless Chromium: the counsellor's four dashboard cards, screenshotted at 1280x900 and 400 px wide into test/artifacts/.
 * Needs Debian's chromium (apt-get install -y chromium, done by .ci/run); fails with that instruction when missing.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { sqliteTestDatabase, type TestDatabase } from '../helpers/db.js';
import type { App } from '../../src/app.js';
import { repoRoot } from '../../src/store/database-url.js';
import { counsellorRow, independentCaseload } from '../core/counsellor/helpers.js';
import { startTeamsApp } from './helpers.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARTIFACTS = path.join(repoRoot, 'test', 'artifacts');

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

async function waitForHttp(url: string, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      const res = await fetch(url);
      if (res.status < 500) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > until) throw new Error(`${url} did not answer within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('Agents Playground in headless Chromium', () => {
  let db: TestDatabase;
  let app: App;
  let playground: ChildProcess;
  let context: BrowserContext;
  let page: Page;
  let userDataDir: string;
  const playgroundLog: string[] = [];

  beforeAll(async () => {
    // A missing browser is a failed test, not a skipped one: CI installs it (.ci/run).
    if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install -y chromium`);
    db = await sqliteTestDatabase();
    app = await startTeamsApp(db);
    const port = await freePort();
    playground = spawn(
      process.execPath,
      [path.join(repoRoot, 'node_modules/@microsoft/m365agentsplayground/cli.js'), '-e', `${app.url}/api/messages`, '-c', 'msteams', '-p', String(port), '--disable-telemetry'],
      { cwd: repoRoot, env: { ...process.env, TEAMSAPPTESTER_BROWSER: 'none', M365_AGENTS_PLAYGROUND_LOGFILE: path.join(os.tmpdir(), `playground-${process.pid}.log`) }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    playground.stdout?.on('data', (d) => playgroundLog.push(String(d)));
    playground.stderr?.on('data', (d) => playgroundLog.push(String(d)));
    await waitForHttp(`http://127.0.0.1:${port}/`, 60_000);
    userDataDir = mkdtempSync(path.join(os.tmpdir(), 'mj-chromium-'));
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 1280, height: 900 },
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    page = context.pages()[0] ?? (await context.newPage());
    await page.goto(`http://127.0.0.1:${port}/`);
  }, 120_000);

  afterAll(async () => {
    await context?.close().catch(() => undefined);
    if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
    if (playground && playground.exitCode === null) playground.kill('SIGTERM');
    await app?.stop();
    await db?.close();
  });

  /** The last card of the chat once it shows `pattern`. */
  async function lastCard(pattern: RegExp) {
    const card = page.locator('.ac-adaptiveCard').last();
    await expect.poll(async () => (await card.innerText().catch(() => '')).replace(/\s+/g, ' '), { timeout: 30_000 }).toMatch(pattern);
    return card;
  }

  /** Screenshots of one card at 1280 px wide, then at a phone's 400 px (Teams mobile), into test/artifacts/. */
  async function shoot(name: string, pattern: RegExp): Promise<void> {
    mkdirSync(ARTIFACTS, { recursive: true });
    for (const width of [1280, 400]) {
      await page.setViewportSize({ width, height: 900 });
      const card = await lastCard(pattern);
      await card.scrollIntoViewIfNeeded();
      await card.screenshot({ path: path.join(ARTIFACTS, `playground-${name}-${width}.png`) });
    }
    await page.setViewportSize({ width: 1280, height: 900 });
  }

  /**
   * How many lines each text of the card takes as rendered (one client rect per line of a text node): a label
   * squeezed by its value reads one letter a line, which this catches at any width.
   */
  async function renderedLines(card: Locator): Promise<{ text: string; lines: number }[]> {
    // The DOM types of the page, as far as this function uses them (the test compiles without the DOM library).
    type Rect = { width: number; top: number };
    type El = { textContent: string | null; ownerDocument: { createRange(): { selectNodeContents(e: El): void; getClientRects(): ArrayLike<Rect> } } };
    return card.evaluate((root: unknown) => {
      const out: { text: string; lines: number }[] = [];
      for (const el of Array.from((root as { querySelectorAll(s: string): ArrayLike<El> }).querySelectorAll('.ac-richTextBlock, .ac-textBlock'))) {
        const text = (el.textContent ?? '').trim();
        if (!text) continue;
        const range = el.ownerDocument.createRange();
        range.selectNodeContents(el);
        const tops = new Set(Array.from(range.getClientRects()).filter((r) => r.width > 0).map((r) => Math.round(r.top)));
        out.push({ text, lines: tops.size });
      }
      return out;
    });
  }

  async function say(text: string): Promise<void> {
    const box = page.getByRole('textbox').first();
    await box.waitFor({ timeout: 60_000 });
    await box.fill(text);
    await box.press('Enter');
  }

  it('Sophie reads her overview on one screen, opens a list from a count, a file from a row, then the figures', async () => {
    try {
      await say('mon portefeuille');
      const overview = await lastCard(/Votre portefeuille/);
      const sophie = await counsellorRow(db, 'sophie');
      const expected = await independentCaseload(db, { counsellorId: sophie.id });
      const text = (await overview.innerText()).replace(/\s+/g, ' ');
      expect(text).toMatch(/Jeunes suivis/);
      expect(text).toMatch(new RegExp(`Sans mission depuis 30 jours ou plus ${expected.withoutMission(30).length}\\b`));
      // One screen: the whole dashboard card fits the 900 px viewport.
      const box = await overview.boundingBox();
      expect(box).not.toBeNull();
      expect(box!.height).toBeLessThanOrEqual(900);
      // The count is the button: no second copy of it as an action button.
      expect(await overview.getByRole('button', { name: /Sans mission depuis 30 jours ou plus \(/ }).count()).toBe(0);
      // Every label and figure of the overview reads on one or two lines, at desktop and at phone width.
      for (const width of [1280, 400]) {
        await page.setViewportSize({ width, height: 900 });
        const texts = await renderedLines(overview);
        expect(texts.map((t) => t.text)).toEqual(expect.arrayContaining(['Jeunes suivis', 'Sans mission depuis 30 jours ou plus']));
        expect(texts.filter((t) => t.lines > (t.text.length > 60 ? 4 : 2)), `wrapped too much at ${width} px`).toEqual([]);
      }
      await page.setViewportSize({ width: 1280, height: 900 });
      await shoot('overview', /Votre portefeuille/);

      await overview.getByText('Sans mission depuis 30 jours ou plus', { exact: true }).click();
      // The list's header says its criterion and its total.
      const listHeading = new RegExp(`Sans mission depuis 30 jours ou plus : ${expected.withoutMission(30).length} jeunes?`);
      const list = await lastCard(listHeading);
      await shoot('list', listHeading);

      // A click on a row (a cell past the name) opens that youth's file.
      const rows = list.locator('[role="row"]');
      expect(await rows.count()).toBe(Math.min(10, expected.withoutMission(30).length) + 1);
      const third = rows.nth(3);
      // The first cell of the row is the name (the Playground renders table cells without an ARIA role).
      const name = (await third.innerText()).split(/\n|\t/)[0]!.trim();
      const [firstName, ...last] = name.split(' ');
      const target = await db.connection.db.youth.findFirst({ where: { counsellorId: sophie.id, firstName, lastName: last.join(' ') } });
      if (!target) throw new Error(`row 3 names "${name}", not a youth of Sophie's`);
      expect(expected.withoutMission(30)).toContain(target.id);
      // Click a cell past the name (the list's own column): the whole row opens the file.
      const rowBox = await third.boundingBox();
      await third.click({ position: { x: rowBox!.width * 0.38, y: rowBox!.height / 2 } });
      const file = await lastCard(new RegExp(`Fiche de ${name}`));
      // The actions on the file, proposing a mission first.
      expect(await file.getByRole('button', { name: 'Proposer une mission' }).count()).toBe(1);
      await shoot('file', new RegExp(`Fiche de ${name}`));

      await say('chiffres du programme');
      await lastCard(/depuis le début/);
      await shoot('figures', /depuis le début/);
    } catch (err) {
      mkdirSync(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: path.join(ARTIFACTS, 'playground-failure.png'), fullPage: true }).catch(() => undefined);
      throw new Error(`${(err as Error).message}\n--- playground output ---\n${playgroundLog.join('').slice(-3000)}`);
    }
  }, 180_000);
});
