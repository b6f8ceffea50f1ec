// Prints "N passed, N failed" from vitest's JSON report; exits 1 when any test failed or none ran.
import { readFileSync } from 'node:fs';

const file = process.argv[2] ?? '.cvf-test/results.json';
let report;
try {
  report = JSON.parse(readFileSync(file, 'utf8'));
} catch (error) {
  console.log(`no test report at ${file}: ${error.message}`);
  console.log('0 passed, 1 failed');
  process.exit(1);
}
// A file that failed to load counts as a failure even though none of its tests ran.
const brokenFiles = report.testResults.filter((f) => f.status === 'failed' && f.assertionResults.length === 0).length;
const failed = report.numFailedTests + brokenFiles;
console.log(`${report.numPassedTests} passed, ${failed} failed`);
process.exit(failed > 0 || report.numPassedTests === 0 ? 1 : 0);
