// Browser tests: the real `storyline serve` on loopback, driven in Debian's headless
// Chromium by playwright-core. Run by .ci/run after `cargo test`.
//
//   node tests/browser/run.mjs [path/to/storyline] [path/to/seeds]
//
// Screenshots go to target/browser-screenshots/.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..', '..');
const bin = resolve(process.argv[2] ?? join(root, 'target', 'debug', 'storyline'));
const seeds = resolve(process.argv[3] ?? join(root, '..', 'shared', 'seeds'));
const shots = join(root, 'target', 'browser-screenshots');
mkdirSync(shots, { recursive: true });

let failures = 0;
function check(ok, what) {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
  if (!ok) failures += 1;
}

const store = mkdtempSync(join(tmpdir(), 'storyline-browser-'));
const run = (...args) => execFileSync(bin, ['--store', store, '--quiet', ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
run('ingest', seeds);
run('ingest', join(here, 'xss.jsonl'));

const server = spawn(bin, ['--store', store, 'serve', '--addr', '127.0.0.1:0'], { stdio: ['ignore', 'pipe', 'inherit'] });
const base = await new Promise((ok, fail) => {
  let out = '';
  server.stdout.on('data', (d) => {
    out += d;
    const m = out.match(/http:\/\/127\.0\.0\.1:\d+/);
    if (m) ok(m[0]);
  });
  server.on('exit', (code) => fail(new Error(`server exited with ${code}`)));
  setTimeout(() => fail(new Error('server did not start in 30 s')), 30000);
});

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const dialogs = [];
  page.on('dialog', async (d) => { dialogs.push(d.message()); await d.dismiss(); });

  // The story list.
  await page.goto(`${base}/`);
  const items = await page.locator('ul.stories li').count();
  check(items >= 3, `story list shows the stories (${items})`);
  await page.screenshot({ path: join(shots, 'stories.png'), fullPage: true });

  // Story A: three timeline steps with their dates, outlets, inferred day.
  await page.getByRole('link', { name: /arrives in Russia for possible arms talks/ }).click();
  await page.waitForSelector('ol.timeline');
  const steps = await page.locator('ol.timeline > li.step').allInnerTexts();
  check(steps.length === 3, `story A has three timeline steps (${steps.length})`);
  check(steps[0]?.includes('2023-09-04') && steps[0]?.includes('AP'), 'step 1: 4 Sep, AP');
  check(steps[1]?.includes('2023-09-05') && steps[1]?.includes('Vladivostok'), 'step 2: 5 Sep, Vladivostok');
  check(steps[2]?.includes('2023-09-12') && /inferred/i.test(steps[2] ?? '') && steps[2]?.includes('arrived'), 'step 3: 12 Sep (inferred), Kim arrives');
  check(await page.locator('svg[aria-label="Articles over time per outlet"] circle').count() === 2, 'timeline chart: one dot per dated article');
  const coverage = await page.locator('table').first().innerText();
  check(coverage.includes('AP') && coverage.includes('first'), 'coverage table names AP, first to publish');
  check(await page.getByText('one outlet only').count() > 0, 'single-outlet claims are marked');
  check(await page.getByRole('link', { name: /Moscow This Month/ }).count() === 1, 'related story B is linked');
  await page.screenshot({ path: join(shots, 'story-a.png'), fullPage: true });

  // The same page on a phone: nothing wider than the screen but scrollable tables.
  const phone = await browser.newPage({ viewport: { width: 390, height: 844 }, isMobile: true });
  await phone.goto(page.url());
  const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  check(overflow <= 1, `story page fits a phone screen (overflow ${overflow}px)`);
  await phone.screenshot({ path: join(shots, 'story-a-phone.png'), fullPage: true });

  // Search.
  await page.goto(`${base}/`);
  await page.getByRole('search').getByRole('searchbox').fill('"armored train"');
  await page.getByRole('search').getByRole('button').click();
  await page.waitForURL(/\/search\?/);
  const results = await page.locator('main').innerText();
  check(/2 matching articles/.test(results) && results.includes('arrives in Russia'), 'search finds the phrase in story A');
  await page.screenshot({ path: join(shots, 'search.png'), fullPage: true });

  // Hostile text shows as text and runs nothing.
  await page.goto(`${base}/search?q=bridge`);
  await page.getByRole('link', { name: /Bridge closes/ }).first().click();
  await page.waitForSelector('h1');
  const h1 = await page.locator('h1').innerText();
  check(h1.includes('<script>window.__pwned = 1;'), 'the title\'s <script> shows as text');
  const pwned = await page.evaluate(() => window.__pwned ?? null);
  check(pwned === null, `no injected script or handler ran (window.__pwned = ${pwned})`);
  check(await page.locator('main img').count() === 0, 'no injected <img> element');
  check(await page.locator('a[href^="javascript:"]').count() === 0, 'no javascript: link');
  await page.locator('main b').count().then((n) => check(n === 0, 'no injected <b> element'));
  check(dialogs.length === 0, `no dialog opened (${dialogs.join(', ')})`);
  await page.screenshot({ path: join(shots, 'xss.png'), fullPage: true });
} finally {
  await browser.close();
  server.kill();
  rmSync(store, { recursive: true, force: true });
}
console.log(failures === 0 ? 'browser tests passed' : `${failures} browser check(s) failed`);
process.exit(failures === 0 ? 0 : 1);
