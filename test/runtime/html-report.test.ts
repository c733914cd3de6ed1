// `ringlint check --report FILE` opened in a real browser (Debian's chromium, headless): the page of
// a known `breaks` run renders with no console error and no request beyond the file itself, shows
// the ring, the hand-backs and accesses while IN_PROGRESS, the findings the run confirmed and those
// it did not exercise, links findings to slots — and shows what the consumer and the source tree
// supplied as text, never as markup.
import { cpSync, existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { consumersBuildDir, consumersSourceDir, runCheckCli, runtimeCheckSkipReason, temporaryDir } from './check-harness.js';

const skipReason = runtimeCheckSkipReason();
if (skipReason) console.warn(skipReason);

/** Debian's chromium, installed by .ci/install: a missing browser fails the test, it does not skip it. */
const CHROMIUM = '/usr/bin/chromium';
/** The screenshot, kept after the run for a person to look at. */
const SCREENSHOT = path.join(os.tmpdir(), 'ringlint-check-report-breaks.png');


async function openHeadless(): Promise<BrowserContext> {
  expect(existsSync(CHROMIUM), `${CHROMIUM} (Debian's chromium) is not installed; .ci/install installs it`).toBe(true);
  // A fresh profile each time; as root chromium needs --no-sandbox.
  return chromium.launchPersistentContext(temporaryDir('ringlint-chromium-profile-'), {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1200, height: 900 },
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

describe.skipIf(skipReason !== null)('ringlint check --report', () => {
  it('renders a breaks run in Chromium: ring, hand-backs, findings linked to slots, no errors, nothing fetched, nothing injected', { timeout: 120_000 }, async () => {
    // A source tree whose path, and a consumer whose output, carry markup: both must stay text.
    const source = temporaryDir(`ringlint-source-<u>&'"-`);
    for (const file of ['v1-and-v2-readers.c', 'consumer-common.h']) cpSync(path.join(consumersSourceDir, file), path.join(source, file));
    const report = path.join(temporaryDir('ringlint-report-'), 'check.html');
    const consumer = path.join(consumersBuildDir, 'v1-and-v2-readers');
    const run = await runCheckCli([
      '--json',
      '--packets',
      '600',
      '--report',
      report,
      '--source',
      source,
      '--',
      'sh',
      '-c',
      'echo "<script>document.title=1</script><u>underlined</u>"; exec "$0" "$1" "$2"',
      consumer,
      '{iface}',
      '{out}',
    ]);
    expect(run.report?.verdict, run.stderr).toBe('breaks');
    expect(readFileSync(report, 'utf8')).not.toMatch(/<script|<u>/i);

    const context = await openHeadless();
    try {
      const page = await context.newPage();
      const problems: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'error' || message.type() === 'warning') problems.push(`${message.type()}: ${message.text()}`);
      });
      page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
      const requests: string[] = [];
      await context.route('**/*', (route) => {
        requests.push(route.request().url());
        return route.request().url().startsWith('file://') ? route.continue() : route.abort();
      });
      await page.goto(`file://${report}`);
      await page.screenshot({ path: SCREENSHOT, fullPage: true });

      expect(problems).toEqual([]);
      expect(requests).toEqual([`file://${report}`]);
      expect(await page.title()).toMatch(/^ringlint check: breaks — sh -c /);
      // The verdict, and the ring as a strip of slots over time.
      await expect(page.locator('header.verdict.breaks').textContent()).resolves.toMatch(/BREAKS|breaks/);
      const strip = page.locator('svg#ring-strip');
      expect(await strip.boundingBox()).toMatchObject({ width: expect.any(Number) });
      expect((await strip.boundingBox())?.height).toBeGreaterThan(200);
      expect(await strip.locator('.slot-row').count()).toBeGreaterThan(10);
      expect(await strip.locator('rect.in-progress').count()).toBeGreaterThan(100);
      expect(await strip.locator('rect.user').count()).toBeGreaterThan(100);
      expect(await strip.locator('.handed-back').count()).toBeGreaterThan(10);
      expect(await strip.locator('rect.access').count()).toBeGreaterThan(10);
      // The findings: the V2 reader's confirmed, with its code; the V1 reader's not exercised.
      const confirmed = page.locator('article.finding.confirmed');
      expect(await confirmed.count()).toBeGreaterThanOrEqual(1);
      expect(await page.locator('article.finding.not-exercised').count()).toBeGreaterThanOrEqual(1);
      await expect(confirmed.first().locator('table.code').textContent()).resolves.toContain('v2_frame_is_ready(hdr)');
      // A confirmed finding links to the slots it explains, and the strip's accesses link back.
      const chip = confirmed.first().locator('a.chip').first();
      const target = await chip.getAttribute('href');
      expect(target).toMatch(/^#slot-\d+$/);
      expect(await strip.locator(target ?? '#none').count()).toBe(1);
      await chip.click();
      // Runs in the page (a string: the test's own types have no DOM).
      expect(await page.evaluate("document.querySelector(':target')?.id")).toBe(target?.slice(1));
      expect(await strip.locator('a[href^="#finding-"] rect.access').count()).toBeGreaterThan(0);
      // What the consumer printed and the source tree's path are text.
      expect(await page.locator('script, u').count()).toBe(0);
      await expect(page.locator('pre.output').textContent()).resolves.toContain('<script>document.title=1</script><u>underlined</u>');
      await expect(confirmed.first().locator('.where').textContent()).resolves.toContain(`<u>&'"-`);
    } finally {
      await context.close();
    }
    const png = readFileSync(SCREENSHOT);
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect(png.readUInt32BE(16)).toBe(1200);
  });
});
