import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
// @ts-expect-error plain JavaScript helpers of the build
import { loadSharedRules, phpPattern, sharedRulesPhp, versionMismatches } from '../../../scripts/lib/shared-rules-files.mjs';
import { DESTNUMBER_PATTERN } from '../../../src/core/call-link.js';
import { SUPPORTED_LANGUAGES } from '../../../src/core/i18n.js';

const ROOT = resolve(__dirname, '../../..');
const VERSIONED = ['package.json', 'package-lock.json', 'wp-plugin/vodia-click-to-call.php', 'wp-plugin/readme.txt', 'wp-plugin/blocks/click-to-call/block.json'];
let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

describe('the version is one string in every place that states it', () => {
  it('agrees in the repository as it is', () => {
    expect(versionMismatches(ROOT)).toEqual([]);
  });

  it.each([
    ['the plugin header', 'wp-plugin/vodia-click-to-call.php', / \* Version: +\S+/, ' * Version:           9.9.9'],
    ['VODIA_CALL_VERSION', 'wp-plugin/vodia-click-to-call.php', /define\( 'VODIA_CALL_VERSION', '[^']+' \)/, "define( 'VODIA_CALL_VERSION', '9.9.9' )"],
    ['the readme\'s stable tag', 'wp-plugin/readme.txt', /Stable tag: \S+/, 'Stable tag: 9.9.9'],
    ['block.json', 'wp-plugin/blocks/click-to-call/block.json', /"version": "[^"]+"/, '"version": "9.9.9"'],
  ])('names %s when it differs', (_c, file, from, to) => {
    dir = mkdtempSync(join(tmpdir(), 'versions-'));
    for (const f of VERSIONED) cpSync(join(ROOT, f), join(dir, f), { recursive: true });
    const text = readFileSync(join(dir, file), 'utf8');
    expect(text).toMatch(from);
    writeFileSync(join(dir, file), text.replace(from, to));
    const found = versionMismatches(dir);
    expect(found).toHaveLength(1);
    expect(found[0]).toContain('9.9.9');
  });
});

describe('the shared rules, as the plugin and its block get them', () => {
  it('come from the TypeScript constants, with the package version', async () => {
    const rules = await loadSharedRules(ROOT);
    expect(rules.destnumberPattern).toBe(DESTNUMBER_PATTERN.source);
    expect(rules.languages).toEqual(SUPPORTED_LANGUAGES);
    expect(rules.version).toBe(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version);
  });

  it('end PHP patterns in \\z, never $, and escape the delimiter', () => {
    expect(phpPattern('^[0-9+*#]{1,32}$')).toBe('/^[0-9+*#]{1,32}\\z/');
    expect(phpPattern('^a/b$')).toBe('/^a\\/b\\z/');
    expect(() => phpPattern('[0-9]+')).toThrow(/anchored/);
  });

  it('write a PHP array that quotes what it must', () => {
    const php = sharedRulesPhp({ version: "1.0'x", userPattern: '^[^\\s@]+$', maxDuration: 86400, languages: ['en', 'de'] });
    expect(php).toContain("'version' => '1.0\\'x',");
    expect(php).toContain("'user_pattern' => '/^[^\\\\s@]+\\\\z/',");
    expect(php).toContain("'max_duration' => 86400,");
    expect(php).toContain("'languages' => array( 'en', 'de' ),");
  });
});
