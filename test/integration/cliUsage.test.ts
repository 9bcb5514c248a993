import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CLI, ROOT, sharedEngine } from '../helpers/engine';

const shared = sharedEngine(['--persistent', '--monitors', '800x600@96']);

function run(args: string[], env: NodeJS.ProcessEnv = process.env) {
  return spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env, timeout: 20_000 });
}

describe('the CLI as a new user meets it', () => {
  it('--version prints the package version', () => {
    const version = (JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
    for (const flag of ['--version', '-v']) {
      const r = run([flag]);
      expect(r.status).toBe(0);
      expect(r.stdout).toBe(`${version}\n`);
    }
  });

  it.each([
    [['stauts'], /unknown command "stauts" \(did you mean "status"\?\)/],
    [['status', '--endpont', 'x'], /Unknown option '--endpont' \(did you mean "--endpoint"\?\)/],
    [['stop', '--state-dri', 'x'], /Unknown option '--state-dri' \(did you mean "--state-dir"\?\)/],
    [['hud', 'hi', '--anchor', 'top-rihgt'], /unknown anchor "top-rihgt" \(did you mean "top-right"\?\)/],
    [['hud', 'hi', '--anchor', 'bottomLefft'], /\(did you mean "bottomLeft"\?\)/],
    [['screenshot'], /one FILE\.png argument is needed/],
    [['host', '--bogus'], /Unknown option '--bogus'/],
  ])('`panepipe %j` is a usage error (exit 2): a short message with a suggestion, not the whole help', (args, message) => {
    const r = run(args);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/Options:|Commands:/);
    expect(r.stderr.trim().split('\n').length).toBeLessThanOrEqual(2);
    expect(r.stderr).toMatch(/--help" for/);
  });

  it.each([['top-left'], ['topLeft'], ['bottom-right'], ['bottomRight']])('`panepipe hud --anchor %s` shows the HUD', (anchor) => {
    const r = run(['hud', 'hi', '--anchor', anchor, '--timeout', '50ms', '--fade', '0', '--no-autostart'], shared.env());
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
});
