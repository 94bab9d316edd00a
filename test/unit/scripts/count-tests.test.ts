import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

// The closing lines of `npm test` are often all a CI log keeps: they must add up every suite and name each
// failed test with a cause that says something.

const SCRIPT = resolve(__dirname, '../../../scripts/lib/count-tests.mjs');
let dir = '';
afterEach(() => { if (dir) rmSync(dir, { recursive: true, force: true }); });

function summary(files: Record<string, string>): string {
  dir = mkdtempSync(join(tmpdir(), 'counts-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return execFileSync('node', [SCRIPT, dir], { encoding: 'utf8' });
}

const vitestJson = (assertions: object[]) => JSON.stringify({
  numPassedTests: assertions.filter((a: any) => a.status === 'passed').length,
  numFailedTests: assertions.filter((a: any) => a.status === 'failed').length,
  testResults: [{ assertionResults: assertions }],
});

describe('count-tests', () => {
  it('adds vitest, JUnit and log counts into one closing line', () => {
    const out = summary({
      'unit.vitest.json': vitestJson([{ fullName: 'a', status: 'passed' }, { fullName: 'b', status: 'passed' }]),
      'wp.junit.xml': '<testsuite><testcase name="x"/><testcase name="y"><failure/></testcase><testcase name="z"><skipped/></testcase></testsuite>',
      'pbx.log': 'noise\n3 passed, 0 failed\n',
    });
    expect(out).toMatch(/unit +2 passed, 0 failed/);
    expect(out).toMatch(/wp +1 passed, 1 failed/);
    expect(out).toContain('FAILED wp: y');
    expect(out.trim().split('\n').pop()).toBe('6 passed, 1 failed');
  });

  it('names a failed assertion by its message, and a timeout as a timeout with its duration', () => {
    const out = summary({
      'webkit.vitest.json': vitestJson([
        { fullName: 'says no', status: 'failed', duration: 12, failureMessages: ['AssertionError: expected 1 to be 2\n    at x'] },
        { fullName: 'hangs', status: 'failed', duration: 30004.6, failureMessages: ['Error: STACK_TRACE_ERROR\n    at y'] },
      ]),
    });
    expect(out).toContain('FAILED webkit: says no -- AssertionError: expected 1 to be 2');
    expect(out).toContain('FAILED webkit: hangs -- timed out after 30005 ms');
    expect(out).not.toContain('STACK_TRACE_ERROR');
  });

  it('counts a log without a count line as one failure (the suite did not finish)', () => {
    expect(summary({ 'zip.log': 'started\n' }).trim().split('\n').pop()).toBe('0 passed, 1 failed');
  });
});
