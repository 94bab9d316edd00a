// The npm package and the release zips as a user gets them: `npm pack`, the tarball installed offline into an
// empty folder (it must need nothing else), its ESM API run in Node, a consumer's TypeScript checked against its
// types, its binder and popup served from node_modules to Chromium, and `npm run release`'s two zips.
// Uses the current build (npm test builds first): npm pack runs with --ignore-scripts, the release without its build.
import { execFileSync, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error plain JavaScript helpers shared with the scripts
import { launchChromium } from '../../scripts/lib/chromium.mjs';
// @ts-expect-error plain JavaScript helpers shared with the scripts
import { startStaticServer } from '../../scripts/lib/static-server.mjs';
import { REPO_ROOT } from '../support/shared-fixtures.js';

const pkg = JSON.parse(readFileSync(resolve(REPO_ROOT, 'package.json'), 'utf8'));
const version: string = pkg.version;
// npm run passes its settings on as npm_config_*; the nested npm must see only its own.
const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)));

let tmp: string;
let consumer: string;
let installed: string;
let packed: { filename: string; files: { path: string }[] };

function run(cmd: string, args: string[], cwd: string, extraEnv: Record<string, string> = {}): string {
  return execFileSync(cmd, args, { cwd, env: { ...env, ...extraEnv }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

beforeAll(() => {
  if (!existsSync(resolve(REPO_ROOT, 'dist/index.mjs'))) throw new Error('no build: run npm run build first');
  tmp = mkdtempSync(join(tmpdir(), 'vodia-package-'));
  packed = JSON.parse(run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', tmp], REPO_ROOT))[0];
  consumer = join(tmp, 'consumer');
  mkdirSync(consumer);
  writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  run('npm', ['install', '--offline', '--no-audit', '--no-fund', join(tmp, packed.filename)], consumer);
  installed = join(consumer, 'node_modules/vodia-click-to-call');
});
afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe('npm pack', () => {
  it('packs what users need (API, types, binder, popup, languages, README, licence) and nothing else', () => {
    const files = packed.files.map((f) => f.path).sort();
    for (const need of ['README.md', 'LICENSE', 'package.json', 'dist/index.mjs', 'dist/index.d.ts', 'dist/types/entries/index.d.ts',
      'dist/vodia-call.js', 'dist/makecall.html', 'dist/makecall.js', 'dist/connection-check.js', 'dist/makecall.css', 'dist/makecall.config.example.json',
      'dist/i18n/de.json', 'dist/i18n/tr.json']) {
      expect(files, need).toContain(need);
    }
    expect(files.filter((f) => !/^(README\.md|LICENSE|package\.json|dist\/.+)$/.test(f))).toEqual([]);
    // Build leftovers and the plugin's zip stay out.
    expect(files.filter((f) => /sizes\.json|\.zip$|\.map$/.test(f))).toEqual([]);
  });

  it('is publishable and points CDNs at the binder; installing it pulls in nothing else, offline', () => {
    const manifest = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8'));
    expect(manifest.private).toBeUndefined();
    expect(manifest.version).toBe(version);
    expect(manifest.unpkg).toBe('dist/vodia-call.js');
    expect(manifest.jsdelivr).toBe('dist/vodia-call.js');
    expect(existsSync(join(installed, manifest.unpkg))).toBe(true);
    expect(manifest.dependencies ?? {}).toEqual({});
    expect(readdirSync(join(consumer, 'node_modules')).filter((d) => !d.startsWith('.'))).toEqual(['vodia-click-to-call']);
  });

  it("the README's CDN script tags pin this version and name the file the package ships", () => {
    const readme = readFileSync(join(installed, 'README.md'), 'utf8');
    const cdn = [...readme.matchAll(/https:\/\/(?:cdn\.jsdelivr\.net\/npm|unpkg\.com)\/vodia-click-to-call@([^/\s]+)\/(\S+?\.js)/g)];
    expect(cdn.length).toBeGreaterThanOrEqual(2);
    for (const [, pinned, file] of cdn) {
      expect(pinned).toBe(version);
      expect(existsSync(join(installed, file))).toBe(true);
    }
  });
});

describe('the installed package', () => {
  it('its ESM API runs in Node: a signed link checks out with the Vodia md5 rule, configs are checked', () => {
    const script = `
      import * as api from 'vodia-click-to-call';
      const link = api.buildCallLink('https://example.com/call/makecall.html', { destnumber: '100', user: '40@pbx.example.com', password: 'Secret-1', time: 1790000000, duration: 600 });
      const params = api.parseCallLink(link);
      console.log(JSON.stringify({
        exports: Object.keys(api).sort(),
        link, params,
        good: api.checkSignedLink(params, { password: 'Secret-1', now: 1790000100 }),
        wrongPassword: api.checkSignedLink(params, { password: 'Secret-2', now: 1790000100 }),
        config: api.parsePopupConfig({ server: 'wss://pbx.example.com/ws', domain: 'pbx.example.com' }).ok,
        badConfig: api.parsePopupConfig({ server: 'http://pbx.example.com' }),
      }));`;
    const out = JSON.parse(run('node', ['--input-type=module', '-e', script], consumer));
    expect(out.exports).toEqual(expect.arrayContaining(['bindCallLinks', 'openCall', 'buildCallLink', 'signLink', 'parseCallLink', 'checkSignedLink', 'parsePopupConfig']));
    const md5 = crypto.createHash('md5').update('40@pbx.example.com' + 'Secret-1' + '100' + '1790000000' + '600').digest('hex');
    expect(out.params).toMatchObject({ destnumber: '100', user: '40@pbx.example.com', time: '1790000000', duration: '600', pass: md5 });
    expect(out.good).toEqual({ ok: true });
    expect(out.wrongPassword).toEqual({ ok: false, reason: 'bad-signature' });
    expect(out.config).toBe(true);
    expect(out.badConfig.ok).toBe(false);
    expect(out.badConfig.problems.length).toBeGreaterThan(0);
  });

  it("a consumer's TypeScript type-checks against its types, and a wrong use is caught", () => {
    const tsc = resolve(REPO_ROOT, 'node_modules/.bin/tsc');
    const options = {
      module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', lib: ['es2022', 'dom'],
      strict: true, noEmit: true, skipLibCheck: false, types: [],
    };
    writeFileSync(join(consumer, 'good.ts'), `
      import { buildCallLink, parseCallLink, checkSignedLink, parsePopupConfig, ERROR_CODES, type PopupConfig, type CallState, type ErrorCode, type LinkRejection } from 'vodia-click-to-call';
      const link: string = buildCallLink('https://example.com/call/makecall.html', { destnumber: '100', user: '40', password: 'secret', duration: 600 });
      const params = parseCallLink(link);
      if (params) {
        const check = checkSignedLink(params, { password: 'secret' });
        if (!check.ok) { const why: LinkRejection = check.reason; console.log(why); }
      }
      const result = parsePopupConfig({ server: 'wss://pbx.example.com/ws', domain: 'pbx.example.com' });
      export const config: PopupConfig | undefined = result.ok ? result.config : undefined;
      export const state: CallState = 'established';
      export const code: ErrorCode = ERROR_CODES[0];
    `);
    writeFileSync(join(consumer, 'bad.ts'), `
      import { buildCallLink, type CallState } from 'vodia-click-to-call';
      export const link = buildCallLink('https://example.com/call/makecall.html', { destnumber: 100 });
      export const state: CallState = 'flying';
    `);
    writeFileSync(join(consumer, 'tsconfig.json'), JSON.stringify({ compilerOptions: options, files: ['good.ts'] }));
    writeFileSync(join(consumer, 'tsconfig.bad.json'), JSON.stringify({ compilerOptions: options, files: ['bad.ts'] }));

    const good = spawnSync(tsc, ['-p', 'tsconfig.json'], { cwd: consumer, env, encoding: 'utf8' });
    expect(good.stdout + good.stderr).toBe('');
    expect(good.status).toBe(0);
    // The types are real, not `any`: both mistakes are reported.
    const bad = spawnSync(tsc, ['-p', 'tsconfig.bad.json'], { cwd: consumer, env, encoding: 'utf8' });
    expect(bad.status).not.toBe(0);
    expect(bad.stdout).toMatch(/bad\.ts\(3,\d+\): error TS2322/);
    expect(bad.stdout).toMatch(/bad\.ts\(4,\d+\): error TS2322/);
  });

  describe('served from node_modules/vodia-click-to-call/dist', () => {
    let browser: Browser;
    let server: { url: string; close(): Promise<void> };
    beforeAll(async () => {
      server = await startStaticServer({
        mounts: { '/call/': join(installed, 'dist') },
        files: {
          '/': `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Package</title>
            <script src="/call/vodia-call.js" data-popup-url="/call/makecall.html" defer></script></head>
            <body><a href="#" data-vodia-call="100" data-lang="de">Call us</a></body></html>`,
          '/call/makecall.config.json': JSON.stringify({ server: 'ws://127.0.0.1:9/ws', domain: '127.0.0.1' }),
        },
      });
      browser = await launchChromium();
    });
    afterAll(async () => {
      await browser?.close();
      await server?.close();
    });

    it('the binder opens the popup, which reaches its login form in the link\'s language', async () => {
      const page = await browser.newPage();
      const problems: string[] = [];
      page.on('pageerror', (e) => problems.push(String(e)));
      await page.goto(`${server.url}/`);
      expect(await page.evaluate(() => (window as unknown as { VodiaCall?: { version: string } }).VodiaCall?.version)).toBe(version);
      const [popup] = await Promise.all([page.waitForEvent('popup'), page.click('[data-vodia-call]')]);
      popup.on('pageerror', (e) => problems.push(`popup: ${e}`));
      popup.on('console', (m) => { if (m.type() === 'error') problems.push(`popup: ${m.text()}`); });
      await popup.waitForSelector('#vodia-call[data-state="login"] form[name="login"]', { timeout: 15_000 });
      // German comes from dist/i18n/de.json of the package: the form's text is no longer English.
      await popup.waitForSelector('#vodia-call[lang="de"]', { timeout: 5_000 });
      expect(await popup.locator('form[name="login"] button[type="submit"]').textContent()).not.toMatch(/^\s*(Call|Log in)\s*$/i);
      expect(problems).toEqual([]);
    });
  });
});

describe('npm run release', () => {
  let out: string;
  let list: (zip: string) => string[];
  let read: (zip: string, file: string) => string;
  beforeAll(() => {
    out = join(tmp, 'release');
    run('bash', ['scripts/release.sh'], REPO_ROOT, { VODIA_RELEASE_DIR: out, VODIA_RELEASE_NO_BUILD: '1' });
    list = (zip) => run('unzip', ['-Z1', join(out, zip)], tmp).split('\n').filter(Boolean);
    read = (zip, file) => run('unzip', ['-p', join(out, zip), file], tmp);
  });

  it('writes the static-site zip: binder, popup, languages, a config to edit, INSTALL.txt, all named with the version', () => {
    const zip = `vodia-click-to-call-static-${version}.zip`;
    expect(readdirSync(out).sort()).toEqual([`vodia-click-to-call-${version}.zip`, zip]);
    const top = `vodia-click-to-call-static-${version}/`;
    const files = list(zip);
    for (const f of ['INSTALL.txt', 'LICENSE', 'call/vodia-call.js', 'call/makecall.html', 'call/makecall.js', 'call/connection-check.js', 'call/makecall.css',
      'call/makecall.config.json', 'call/i18n/de.json', 'call/i18n/cs.json']) {
      expect(files, f).toContain(top + f);
    }
    expect(files.filter((f) => !f.startsWith(top))).toEqual([]);
    expect(read(zip, `${top}INSTALL.txt`)).toContain(`Vodia Click-to-Call ${version}`);
    expect(read(zip, `${top}call/vodia-call.js`)).toContain(JSON.stringify(version));
    // The config to edit is one the popup accepts once its placeholders are replaced.
    const config = JSON.parse(read(zip, `${top}call/makecall.config.json`));
    expect(config).toMatchObject({ server: expect.stringMatching(/^wss:\/\//), domain: expect.any(String) });
  });

  it('writes the plugin zip with the version in the plugin header', () => {
    const zip = `vodia-click-to-call-${version}.zip`;
    const files = list(zip);
    for (const f of ['vodia-click-to-call.php', 'readme.txt', 'assets/dist/vodia-call.js', 'assets/dist/makecall.js', 'build/click-to-call/block.json']) {
      expect(files, f).toContain(`vodia-click-to-call/${f}`);
    }
    expect(read(zip, 'vodia-click-to-call/vodia-click-to-call.php')).toMatch(new RegExp(`^ \\* Version:\\s+${version.replace(/\./g, '\\.')}$`, 'm'));
  });
});
