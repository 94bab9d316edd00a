// Builds every distribution with esbuild, prints sizes, and fails when a bundle is over budget
// (README, Performance). Usage: node build.mjs [--quiet]
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

import { loadSharedRules, loadTsExport, versionMismatches, writeSharedRules } from './scripts/lib/shared-rules-files.mjs';

const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
const quiet = process.argv.includes('--quiet');

// One version everywhere it is written (WordPress reads its own from the plugin header and readme).
const mismatches = versionMismatches();
if (mismatches.length) {
  console.error(`build: the version strings disagree:\n  ${mismatches.join('\n  ')}`);
  process.exit(1);
}

/** gzip budgets in bytes; a bundle over its budget fails the build. */
export const BUDGETS = {
  'dist/vodia-call.js': 3 * 1024,
  'dist/makecall.js': 65 * 1024,
};

const common = {
  bundle: true,
  minify: true,
  legalComments: 'none',
  target: 'es2020',
  define: { __VERSION__: JSON.stringify(pkg.version) },
  logLevel: 'warning',
};

/** One wrapper for every output, so options and error handling cannot drift apart. */
async function bundle(options) {
  await build({ ...common, ...options });
}

rmSync('dist', { recursive: true, force: true });
mkdirSync('dist', { recursive: true });

await Promise.all([
  bundle({ entryPoints: ['src/entries/binder-iife.ts'], outfile: 'dist/vodia-call.js', format: 'iife' }),
  bundle({ entryPoints: ['src/entries/popup-iife.ts'], outfile: 'dist/makecall.js', format: 'iife' }),
  // The connection test (makecall.html?check): its own file, which makecall.js loads only in that mode.
  bundle({ entryPoints: ['src/entries/connection-check-iife.ts'], outfile: 'dist/connection-check.js', format: 'iife' }),
  bundle({ entryPoints: ['src/popup/makecall.css'], outfile: 'dist/makecall.css' }),
  // The ESM API stays readable: sites bundle and minify it themselves.
  bundle({ entryPoints: ['src/entries/index.ts'], outfile: 'dist/index.mjs', format: 'esm', minify: false, platform: 'neutral', mainFields: ['module', 'main'] }),
]);
// Each language but English (which the popup carries) as a file the popup loads when it needs it.
mkdirSync('dist/i18n', { recursive: true });
for (const [lang, catalogue] of Object.entries(await loadTsExport('src/core/catalogues.ts', 'CATALOGUES'))) {
  if (lang !== 'en') writeFileSync(`dist/i18n/${lang}.json`, JSON.stringify(catalogue));
}
copyFileSync('src/popup/makecall.html', 'dist/makecall.html');
copyFileSync('src/popup/makecall.config.example.json', 'dist/makecall.config.example.json');

// Type declarations for the ESM API.
execFileSync('node_modules/.bin/tsc', ['-p', 'tsconfig.build.json'], { stdio: 'inherit' });
writeFileSync('dist/index.d.ts', "export * from './types/entries/index.js';\n");

// The WordPress plugin serves the same binder and popup, and reads the rules it shares with them.
if (existsSync('wp-plugin')) {
  writeSharedRules(await loadSharedRules());
  const into = 'wp-plugin/assets/dist';
  rmSync(into, { recursive: true, force: true });
  mkdirSync(into, { recursive: true });
  for (const f of ['vodia-call.js', 'makecall.js', 'connection-check.js', 'makecall.css', 'i18n']) cpSync(`dist/${f}`, `${into}/${f}`, { recursive: true });
  // The block, with @wordpress/scripts (about 2 s); the plugin zip and its tests need it.
  try {
    execFileSync('bash', ['scripts/wp/build-block.sh'], { stdio: quiet ? 'pipe' : 'inherit' });
  } catch (e) {
    if (quiet) process.stderr.write(`${e.stdout ?? ''}${e.stderr ?? ''}`);
    console.error('build: the WordPress block did not build');
    process.exit(1);
  }
}

// The binder rides on every page: SIP.js and md5 belong to the popup alone.
const binder = readFileSync('dist/vodia-call.js', 'utf8');
const leaked = ['SIP/2.0', 'UserAgent', 'Inviter', 'WebSocket', 'RTCPeerConnection'].filter((m) => binder.includes(m));
if (/0x67452301|1732584193/.test(binder)) leaked.push('md5'); // md5's initial state, in hex or decimal
if (leaked.length) {
  console.error(`build: dist/vodia-call.js carries what belongs to the popup: ${leaked.join(', ')}`);
  process.exit(1);
}

let over = false;
const rows = [];
for (const file of ['dist/vodia-call.js', 'dist/makecall.js', 'dist/connection-check.js', 'dist/makecall.css', 'dist/index.mjs']) {
  const bytes = readFileSync(file);
  const gz = gzipSync(bytes, { level: 9 }).length;
  const budget = BUDGETS[file];
  const ok = budget === undefined || gz <= budget;
  if (!ok) over = true;
  rows.push({ file, min: bytes.length, gzip: gz, budget, ok });
}
writeFileSync('dist/sizes.json', JSON.stringify(rows, null, 2) + '\n');
if (!quiet || over) {
  for (const r of rows) {
    const budget = r.budget ? ` / budget ${(r.budget / 1024).toFixed(1)} KB` : '';
    console.log(`${r.ok ? '  ' : '✗ '}${r.file.padEnd(26)} ${(r.min / 1024).toFixed(1).padStart(6)} KB min  ${(r.gzip / 1024).toFixed(2).padStart(6)} KB gzip${budget}${r.ok ? '' : '  OVER BUDGET'}`);
  }
}
if (over) {
  console.error('build: a bundle is over its budget (README, Performance)');
  process.exit(1);
}
