// Prints the plain "N passed, N failed" line CI reads, from vitest's JSON report plus the
// counts of the extra checks (MCP Inspector / conformance). Exits 1 on any failure or no tests.
import { existsSync, readFileSync } from 'node:fs';

const [file, extraPassed = '0', extraFailed = '0'] = process.argv.slice(2);
let passed = Number(extraPassed) || 0;
let failed = Number(extraFailed) || 0;
let skipped = 0;
if (file && existsSync(file)) {
  const report = JSON.parse(readFileSync(file, 'utf8'));
  passed += report.numPassedTests ?? 0;
  failed += report.numFailedTests ?? 0;
  skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
  for (const suite of report.testResults ?? []) {
    // A file that failed to load has no assertions but must still count as a failure.
    if (suite.status === 'failed' && (suite.assertionResults ?? []).length === 0) failed += 1;
  }
} else {
  failed += 1;
  console.log('no vitest report found');
}
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
