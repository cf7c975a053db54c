// The HTML report of a real history scan, opened in a real headless Chromium (Debian's package,
// driven by playwright-core): counts, rows, filters, sorting, no request leaving the page, no
// secret in the DOM, readable without JavaScript. Skipped, with a message, where Chromium is missing.

import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { ROOT, cleanupTempDirs, runCli, tempDir, token } from './helpers.js';
import { GitRepo } from './git-repo.js';
import { FakeProviders } from './fakes/server.js';

const CHROMIUM = process.env.LEAKRADIUS_CHROMIUM ?? '/usr/bin/chromium';
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium)
  console.warn(
    `html-report.test.ts: skipped: no Chromium at ${CHROMIUM} (apt-get install chromium, or set LEAKRADIUS_CHROMIUM)`,
  );
/** Where the screenshot for the review goes (ignored by git). */
export const ARTIFACTS = join(ROOT, 'test', '.artifacts');

const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

async function openBrowser(options: { javaScriptEnabled?: boolean } = {}): Promise<BrowserContext> {
  const { chromium } = await import('playwright-core');
  return chromium.launchPersistentContext(tempDir('lr-chromium-'), {
    executablePath: CHROMIUM,
    headless: true,
    args: FLAGS,
    viewport: { width: 1280, height: 900 },
    ...options,
  });
}

const secrets = {
  github: token('{{github:ghp_}}', 'html-github'),
  gitlab: token('glpat-{{an:20}}', 'html-gitlab'),
  slack: token('xoxb-{{digits:12}}-{{digits:13}}-{{an:24}}', 'html-slack'),
  stripe: token('sk_live_{{an:24}}', 'html-stripe'),
};
/** Scanned content is hostile: a path and a line that would load something if not escaped. */
const HOSTILE_PATH = 'deploy/<img src=http:⁄⁄127.0.0.1:9⁄x onerror=alert(1)>.env';
const HOSTILE_LINE = '<script>fetch("http://127.0.0.1:9/steal")</script>';

interface JsonReport {
  findings: Array<{
    fingerprint: string;
    provider: string;
    blast: { tier: string; score: number };
    scope: { status: string };
    firstSeen?: { date: string };
  }>;
}

describe('HTML report without a browser', () => {
  afterAll(cleanupTempDirs);

  it('holds the full secret only with --show-secrets, and then says so at the top', async () => {
    const dir = tempDir('lr-html-secret-');
    const file = join(dir, 'app.env');
    writeFileSync(file, `GITHUB_TOKEN=${secrets.github}\n`);
    const plain = await runCli(['scan', file, '--format', 'html']);
    expect(plain.code).toBe(1);
    expect(plain.stdout).not.toContain(secrets.github);
    expect(plain.stdout).not.toContain('role="alert"');
    const shown = await runCli(['scan', file, '--format', 'html', '--show-secrets']);
    expect(shown.stdout).toContain(secrets.github);
    expect(shown.stdout).toMatch(/<p class="danger" role="alert"><strong>This report contains full secrets<\/strong>/);
  });
});

describe.skipIf(!haveChromium)('HTML report in Chromium', () => {
  let html: string;
  let htmlPath: string;
  let json: JsonReport;
  let context: BrowserContext;
  let page: Page;
  const requests: string[] = [];
  // Lookups answered like the providers' documented APIs: two live, one revoked, one unknown.
  const fakes = new FakeProviders({
    github: {
      live: { headers: { 'x-oauth-scopes': 'repo, admin:org' }, body: { login: 'octo-fixture', type: 'User' } },
    },
    gitlab: { revoked: { status: 401, body: { message: '401 Unauthorized' } } },
    slack: { live: { body: { ok: true, team: 'Acme', user: 'deploy-bot' } } },
  });

  beforeAll(async () => {
    await fakes.start();
    const endpoints = {
      LEAKRADIUS_ENDPOINT_GITHUB: fakes.url('github', 'live'),
      LEAKRADIUS_ENDPOINT_GITLAB: fakes.url('gitlab', 'revoked'),
      LEAKRADIUS_ENDPOINT_SLACK: fakes.url('slack', 'live'),
      LEAKRADIUS_ENDPOINT_STRIPE: fakes.url('stripe', 'malformed'),
    };
    const repo = GitRepo.init('lr-html-');
    const commit = (message: string, date: string, files: Record<string, string>) => {
      for (const [p, t] of Object.entries(files)) repo.write(p, t);
      repo.git('add', '-A');
      repo.git('commit', '-q', '-m', message, '--date', date);
    };
    commit('ci', '2023-02-10T09:00:00Z', { '.github/workflows/ci.yml': `env:\n  GH_TOKEN: ${secrets.github}\n` });
    commit('gitlab', '2023-06-01T09:00:00Z', {
      'scripts/mirror.sh': `curl -H "PRIVATE-TOKEN: ${secrets.gitlab}" https://gitlab.example/api\n`,
    });
    commit('slack', '2024-01-15T09:00:00Z', { [HOSTILE_PATH]: `SLACK_BOT_TOKEN=${secrets.slack} ${HOSTILE_LINE}\n` });
    commit('copy', '2024-02-20T09:00:00Z', {
      'services/billing/.env': `STRIPE_KEY=${secrets.stripe}\nSLACK=${secrets.slack}\n`,
    });
    commit('remove', '2024-03-01T09:00:00Z', { '.github/workflows/ci.yml': 'env: {}\n' });
    const out = tempDir('lr-html-out-');
    htmlPath = join(out, 'report.html');
    const scanned = await runCli(['git', repo.dir, '--lookup', '--format', 'html', '-o', htmlPath], {
      env: { ...repo.env, ...endpoints },
    });
    expect(scanned.code, scanned.stderr).toBe(1);
    const asJson = await runCli(['git', repo.dir, '--lookup', '--format', 'json'], {
      env: { ...repo.env, ...endpoints },
    });
    json = JSON.parse(asJson.stdout) as JsonReport;
    html = readFileSync(htmlPath, 'utf8');
    context = await openBrowser();
    // Anything but the report itself is recorded and refused.
    await context.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith('file://')) return route.continue();
      requests.push(url);
      return route.abort();
    });
    context.on('request', (r) => {
      if (!r.url().startsWith('file://')) requests.push(r.url());
    });
    page = await context.newPage();
    await page.goto(`file://${htmlPath}`);
  });

  afterAll(async () => {
    await context?.close();
    await fakes.close();
    cleanupTempDirs();
  });

  it('has no external reference: nothing loads, links are navigations to https pages only', async () => {
    expect(json.findings.length).toBe(4);
    const loaders =
      '[src],[srcset],[poster],[background],[action],[formaction],' +
      'link,base,iframe,object,embed,img,video,audio,source,svg image';
    expect(await page.locator(loaders).count()).toBe(0);
    const hrefs = await page.locator('[href]').evaluateAll((els) => els.map((e) => e.getAttribute('href') ?? ''));
    for (const href of hrefs) expect(href).toMatch(/^(#[\w-]+|https:\/\/\S+)$/);
    const code = [...html.matchAll(/<(style|script)>([\s\S]*?)<\/\1>/g)].map((m) => m[2]).join('\n');
    expect(code).not.toMatch(/url\(|@import|fetch|XMLHttpRequest|import\(|https?:\/\//);
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none';`);
  });

  it('shows the counts by tier and status and one row per credential, worst first', async () => {
    const total = await page.locator('#counts tr.total td').last().innerText();
    expect(Number(total)).toBe(json.findings.length);
    for (const tier of ['critical', 'high', 'medium', 'low', 'info']) {
      const row = page.locator('#counts tbody tr', { has: page.locator(`.tier-${tier}`) });
      expect(Number(await row.locator('td').last().innerText()), tier).toBe(
        json.findings.filter((f) => f.blast.tier === tier).length,
      );
    }
    const byStatus = await page.locator('#counts tr.total td').allInnerTexts();
    expect(json.findings.map((f) => f.scope.status).sort()).toEqual(['live', 'live', 'revoked', 'unknown']);
    expect(byStatus.slice(0, 4).map(Number)).toEqual([2, 1, 1, 0]); // live, revoked, unknown, not checked
    const rows = page.locator('#findings tbody tr');
    await expect.poll(() => rows.count()).toBe(4);
    const scores = await rows.evaluateAll((rs) => rs.map((r) => Number((r as HTMLElement).dataset.score)));
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    expect(await rows.evaluateAll((rs) => rs.map((r) => (r as HTMLElement).dataset.provider))).toEqual(
      json.findings.map((f) => f.provider),
    );
    await expect.poll(() => page.locator('#shown').innerText()).toBe('Showing 4 of 4 credentials');
    const header = await page.locator('header').innerText();
    expect(header).toMatch(/Scanned\s+\S*lr-html-\S*\/repo/);
    expect(header).toMatch(/Lookups\s+4 made \(2 live, 1 revoked, 1 unknown\)/);
  });

  it('filters by provider, tier, status and path, searches, and hides the filtered details too', async () => {
    const visible = () => page.locator('#findings tbody tr:not([hidden])').count();
    await page.selectOption('select[name=provider]', 'slack');
    expect(await visible()).toBe(1);
    expect(await page.locator('article.finding:not([hidden])').count()).toBe(1);
    await page.selectOption('select[name=provider]', '');
    await page.selectOption('select[name=status]', 'live');
    expect(await visible()).toBe(2);
    expect(
      await page
        .locator('#findings tbody tr:not([hidden])')
        .evaluateAll((rs) => rs.map((r) => (r as HTMLElement).dataset.provider).sort()),
    ).toEqual(['github', 'slack']);
    await page.selectOption('select[name=status]', '');
    const tier = json.findings[json.findings.length - 1]!.blast.tier;
    await page.selectOption('select[name=tier]', tier);
    expect(await visible()).toBe(json.findings.filter((f) => f.blast.tier === tier).length);
    await page.selectOption('select[name=tier]', '');
    // Keyboard only: focus the path box and type.
    await page.focus('input[name=path]');
    await page.keyboard.type('services/billing');
    expect(await visible()).toBe(2); // stripe, and slack seen there too
    await page.fill('input[name=path]', '');
    await page.fill('input[name=q]', 'MIRROR.sh');
    expect(await visible()).toBe(1);
    await page.click('button[type=reset]');
    await expect.poll(visible).toBe(4);
  });

  it('prints without the filter bar', async () => {
    await page.selectOption('select[name=provider]', 'slack');
    await page.emulateMedia({ media: 'print' });
    try {
      expect(await page.locator('#filters').isVisible()).toBe(false);
    } finally {
      await page.emulateMedia({ media: 'screen' });
      await page.click('button[type=reset]');
    }
  });

  it('sorts by first seen and by score, from the keyboard too', async () => {
    await page.click('th[data-sort=first] button');
    const firsts = async () =>
      page.locator('#findings tbody tr').evaluateAll((rs) => rs.map((r) => (r as HTMLElement).dataset.first ?? ''));
    const descending = await firsts();
    expect(descending).toEqual([...descending].sort().reverse());
    expect(await page.getAttribute('th[data-sort=first]', 'aria-sort')).toBe('descending');
    await page.click('th[data-sort=first] button');
    expect(await firsts()).toEqual([...descending].sort());
    await page.focus('th[data-sort=score] button');
    await page.keyboard.press('Enter');
    expect(await page.getAttribute('th[data-sort=score]', 'aria-sort')).toBe('descending');
    const scores = await page
      .locator('#findings tbody tr')
      .evaluateAll((rs) => rs.map((r) => Number((r as HTMLElement).dataset.score)));
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
  });

  it(
    'shows every location with its commit, the timeline, practices and the revoke command, escaping hostile ' +
      'content',
    async () => {
      const slack = json.findings.find((f) => f.provider === 'slack')!;
      const article = page.locator('article.finding', { has: page.locator(`text=${slack.fingerprint}`) });
      await expect.poll(() => article.locator('table.locations tbody tr').count()).toBe(2);
      const text = await article.innerText();
      expect(text).toContain(HOSTILE_PATH);
      expect(text).toContain('<script>');
      expect(text).toContain('Ada Lovelace');
      expect(text).toContain(`leakradius revoke --fingerprint ${slack.fingerprint.slice(0, 16)}`);
      expect(text).toMatch(/Rotated recently\s+✗ violated/);
      expect(await page.locator('script').count()).toBe(1);
      expect(await page.locator('img').count()).toBe(0);
      const months = await page.locator('table.timeline tbody th').allInnerTexts();
      expect(months).toEqual(['2023-02', '2023-06', '2024-01', '2024-02']);
    },
  );

  it('puts no secret in the DOM and sends no request', async () => {
    const dom = await page.content();
    const shown = await page.locator('body').innerText();
    for (const s of Object.values(secrets)) {
      expect(dom).not.toContain(s);
      expect(shown).not.toContain(s);
      expect(html).not.toContain(s);
    }
    expect(requests).toEqual([]);
  });

  it('writes a screenshot for the review', async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    const path = join(ARTIFACTS, 'html-report.png');
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path });
    await page.screenshot({ path: join(ARTIFACTS, 'html-report-full.png'), fullPage: true });
    expect(readFileSync(path).subarray(1, 4).toString()).toBe('PNG');
  });

  it('is readable without JavaScript: every row and detail, no filter form', async () => {
    const noJs = await openBrowser({ javaScriptEnabled: false });
    try {
      const p = await noJs.newPage();
      await p.goto(`file://${htmlPath}`);
      expect(await p.locator('#findings tbody tr').count()).toBe(4);
      expect(await p.locator('article.finding').count()).toBe(4);
      expect(await p.locator('#filters').isVisible()).toBe(false);
      await p.click('#findings tbody tr >> nth=0 >> a');
      expect(p.url()).toMatch(/#f1$/);
    } finally {
      await noJs.close();
    }
  });
});
