// A jest reporter: after the run, names the suites whose tests were skipped
// and how to run them (a plain .js file, since jest loads reporters untranspiled).
const path = require('node:path');

/** How to run what a plain `npm test` skips, by folder. */
const HOW_TO_RUN = { [`test${path.sep}win32${path.sep}`]: 'the win32 backend under Wine: bash test/win32/setup.sh, then npm run test:win32' };

class SkippedSuitesReporter {
  constructor(globalConfig) {
    this.globalConfig = globalConfig;
  }

  onRunComplete(_contexts, results) {
    // Tests left out by -t are skipped on purpose: nothing to tell.
    if (this.globalConfig.testNamePattern) return;
    const lines = [];
    for (const suite of results.testResults) {
      const skipped = suite.testResults.filter((t) => t.status === 'pending' || t.status === 'skipped').length;
      if (skipped === 0) continue;
      const file = path.relative(this.globalConfig.rootDir, suite.testFilePath);
      const how = Object.entries(HOW_TO_RUN).find(([folder]) => file.startsWith(folder));
      lines.push(`  ${file}: ${skipped} skipped${how ? `; runs on ${how[1]}` : ' on this system'}`);
    }
    if (lines.length > 0) process.stderr.write(`\nSkipped suites:\n${lines.join('\n')}\n`);
  }
}

module.exports = SkippedSuitesReporter;
