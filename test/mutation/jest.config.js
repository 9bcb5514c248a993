// The suite Stryker runs against each mutant. By default the Linux tests
// minus the soak and the Wine suites (minutes-long, timing floors).
// PANEPIPE_MUTATION_TESTS narrows it to some folders or files under the
// repository root, e.g. "test/unit" for a quick pass over protocol/.
const base = require('../../package.json').jest;

const only = (process.env.PANEPIPE_MUTATION_TESTS ?? '').split(/\s+/).filter(Boolean);

module.exports = {
  ...base,
  rootDir: '../..',
  ...(only.length > 0 ? { roots: only.map((p) => `<rootDir>/${p}`) } : {}),
  reporters: ['default'],
  testPathIgnorePatterns: [...base.testPathIgnorePatterns, '/test/win32/', '/test/reliability/soak\\.test\\.ts$'],
};
