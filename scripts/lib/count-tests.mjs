// Adds up what every suite of `npm test` left in its counts folder and prints one closing line,
// "N passed, M failed". Reads vitest JSON (*.vitest.json), JUnit XML (*.junit.xml: PHPUnit) and
// logs whose last count line reads "N passed, M failed" (*.log).
import { readdirSync, readFileSync } from 'node:fs';

const dir = process.argv[2];
let passed = 0;
let failed = 0;
// Names of failed tests, printed last so that a CI log cut to its tail still says what broke.
const failures = [];
for (const file of readdirSync(dir).sort()) {
  const text = readFileSync(`${dir}/${file}`, 'utf8');
  let p = 0;
  let f = 0;
  if (file.endsWith('.vitest.json')) {
    const j = JSON.parse(text);
    p = j.numPassedTests;
    f = j.numFailedTests;
    for (const r of j.testResults ?? []) {
      for (const a of r.assertionResults ?? []) {
        if (a.status === 'failed') {
          let why = String(a.failureMessages?.[0] ?? '').split('\n')[0].slice(0, 300);
          // vitest's JSON report gives a timed-out test the stack of a placeholder error, whose first line
          // reads "Error: STACK_TRACE_ERROR" and says nothing: name the timeout instead.
          if (why.includes('STACK_TRACE_ERROR')) why = `timed out after ${Math.round(a.duration ?? 0)} ms (the test's own steps named no cause)`;
          failures.push(`${file.replace(/\.vitest\.json$/, '')}: ${a.fullName} -- ${why}`);
        }
      }
    }
  } else if (file.endsWith('.junit.xml')) {
    // Count test cases, not suites, so nested suites are not counted twice.
    const cases = text.match(/<testcase\b[^>]*?(\/>|>[\s\S]*?<\/testcase>)/g) ?? [];
    const bad = cases.filter((c) => /<(failure|error)\b/.test(c));
    f = bad.length;
    for (const c of bad) failures.push(`${file.replace(/\.junit\.xml$/, '')}: ${c.match(/name="([^"]*)"/)?.[1] ?? '?'}`);
    p = cases.filter((c) => !/<(failure|error|skipped)\b/.test(c)).length;
  } else if (file.endsWith('.log')) {
    const m = [...text.matchAll(/(\d+) passed, (\d+) failed/g)].pop();
    if (m) [p, f] = [Number(m[1]), Number(m[2])];
    else f = 1; // a suite that printed no count did not finish
  } else {
    continue;
  }
  passed += p;
  failed += f;
  console.log(`  ${file.replace(/\.(vitest\.json|junit\.xml|log)$/, '').padEnd(16)} ${p} passed, ${f} failed`);
}
for (const line of failures) console.log(`  FAILED ${line}`);
console.log(`${passed} passed, ${failed} failed`);
