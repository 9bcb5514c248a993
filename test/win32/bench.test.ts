// The benchmark suite on the win32 backend under Wine (`npm run bench:win32`):
// a short pass must finish, report real measurements and no failed benchmark.
// Runs only with PANEPIPE_WIN32_TESTS=1.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { toWindowsPath, win32TestsEnabled, wineserverKill } from './harness';

const RUNNER = path.resolve(__dirname, '..', '..', 'dist', 'test', 'win32', 'runBench.js');

interface BenchRow {
  bench: string;
  metric: string;
  value: number | null;
}

(win32TestsEnabled ? describe : describe.skip)('bench:win32', () => {
  afterAll(() => wineserverKill(), 30_000);

  it('measures round trips and update→present over named pipes with the win32 backend', () => {
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'panepipe-bench-')), 'win32.json');
    const run = spawnSync(process.execPath, [RUNNER, '--quick', '--only', 'roundtrip,latency', '--out', toWindowsPath(out)], {
      encoding: 'utf8',
      timeout: 150_000,
    });
    expect({ status: run.status, stderr: run.status === 0 ? '' : run.stderr }).toEqual({ status: 0, stderr: '' });
    const result = JSON.parse(fs.readFileSync(out, 'utf8')) as { backend: string; rows: BenchRow[]; failures: unknown[] };
    expect(result.backend).toBe('win32');
    expect(result.failures).toEqual([]);
    const value = (metric: RegExp) => result.rows.find((r) => metric.test(r.metric))?.value;
    // Measured, not made up: positive, and a created HUD costs more than a bare pipe ping.
    expect(value(/^createHud \(Client API\) p50/)).toBeGreaterThan(value(/^raw ping \(echo process\) p50/)!);
    expect(value(/^setText→presented .* p50/)).toBeGreaterThan(0);
    expect(value(/^achieved update rate/)).toBeGreaterThan(500);
  }, 180_000);
});
