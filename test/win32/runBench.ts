/**
 * `npm run bench:win32 -- [bench options]`: the benchmark suite on the win32
 * backend, under Windows node.exe in Wine on a private Xvfb display (after
 * `bash test/win32/setup.sh`). The suite itself, its load processes and the
 * engine all run as Windows processes over real named pipes. Results go to
 * bench/results/win32.json and .md unless --out says otherwise.
 */
import * as path from 'node:path';
import { assertWineReady, toWindowsPath, wineEnv } from './paths';
import { spawnWindowsNode } from './wine-node';
import { startXvfb } from './xvfb';

async function main(): Promise<number> {
  const env = wineEnv();
  assertWineReady(env);
  const args = process.argv.slice(2);
  const out = args.includes('--out') ? [] : ['--out', toWindowsPath(path.join(env.projectRoot, 'bench', 'results', 'win32.json'))];
  const xvfb = await startXvfb();
  try {
    const bench = spawnWindowsNode(path.join(env.projectRoot, 'dist', 'bench', 'run.js'), ['--backend', 'win32', ...out, ...args], {
      display: xvfb.display,
      cwd: env.projectRoot,
    });
    // node.exe cannot write to pipes under Wine: its output goes to files, shown when it ends.
    const { code } = await bench.exited;
    const { stdout, stderr } = bench.readOutput();
    process.stdout.write(stdout);
    process.stderr.write(stderr);
    return code ?? 1;
  } finally {
    await xvfb.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (err: Error) => {
    process.stderr.write(`bench:win32: ${err.message}\n`);
    process.exit(1);
  },
);
