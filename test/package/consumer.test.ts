import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ROOT } from '../helpers/engine';

/**
 * A project of a user's own, with panepipe installed from a packed tarball
 * (as `npm install panepipe` would), compiled under strict settings with
 * every declaration file checked, as CommonJS and as Node ESM, then run.
 */
const TSC = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');

const APP = `import { connect, CommandError, type HudOptions, type TextOptions, type PanepipeEvent } from 'panepipe';

export async function main(endpoint: string, stateDir: string): Promise<string[]> {
  const pp = await connect({ autostart: true, endpoint, stateDir, engineArgs: ['--backend', 'headless'] });
  const seen: string[] = [];
  pp.on('error', (err: CommandError) => seen.push(\`\${err.op}:\${err.code}\`));
  const opts: HudOptions = { width: 120, height: 40 };
  const hud = await pp.createHud(opts);
  const text: TextOptions = { text: 'hi', x: 4, y: 4, color: 'white', fontSize: 18 };
  hud.setText('t', text);
  // @ts-expect-error a misspelt option is a compile error
  hud.setText('u', { text: 'x', x: 0, y: 0, colour: 'red' });
  hud.show();
  const errors = await pp.sync();
  const first: PanepipeEvent | undefined = pp.pollEvent();
  seen.push(\`sync:\${errors.length}\`, \`event:\${first?.type}\`);
  await pp.stopEngine();
  return seen;
}
`;

let project: string;

beforeAll(() => {
  project = fs.mkdtempSync(path.join(os.tmpdir(), 'panepipe-consumer-'));
  const tarball = execFileSync('npm', ['pack', '--silent', '--pack-destination', project], { cwd: ROOT, encoding: 'utf8' }).trim().split('\n').pop()!;
  fs.writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }));
  execFileSync('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', path.join(project, tarball)], {
    cwd: project,
    stdio: 'pipe',
  });
  fs.symlinkSync(path.join(ROOT, 'node_modules', '@types'), path.join(project, 'node_modules', '@types'), 'dir');
}, 240_000);

afterAll(() => fs.rmSync(project, { recursive: true, force: true }));

describe.each([
  ['commonjs', { module: 'commonjs', moduleResolution: 'node10', esModuleInterop: true }, 'app.ts', 'cjs'],
  ['nodenext (ESM)', { module: 'nodenext', moduleResolution: 'nodenext' }, 'app.mts', 'esm'],
])('a consumer project, %s, strict, skipLibCheck false', (_name, moduleOptions, file, dir) => {
  it('compiles cleanly and runs against an engine it autostarts', () => {
    const src = path.join(project, dir);
    fs.mkdirSync(src, { recursive: true });
    fs.writeFileSync(path.join(src, file), APP);
    const config = {
      compilerOptions: { strict: true, skipLibCheck: false, target: 'es2022', types: ['node'], outDir: 'out', ...moduleOptions },
      files: [file],
    };
    fs.writeFileSync(path.join(src, 'tsconfig.json'), JSON.stringify(config));
    const tsc = spawnSync(process.execPath, [TSC, '-p', src], { encoding: 'utf8' });
    expect(tsc.stdout + tsc.stderr).toBe('');
    expect(tsc.status).toBe(0);

    const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pp-consumer-'));
    const built = path.join(src, 'out', file.replace(/ts$/, 'js'));
    const runner = `import(${JSON.stringify(built)}).then((m) => m.main(${JSON.stringify(path.join(stateDir, 'e.sock'))}, ${JSON.stringify(stateDir)})).then((r) => console.log(JSON.stringify(r)))`;
    const run = spawnSync(process.execPath, ['-e', runner], { cwd: src, encoding: 'utf8', timeout: 60_000 });
    expect(run.stderr).toBe('');
    const seen = JSON.parse(run.stdout) as string[];
    expect(seen).toEqual(['setText:invalidCommand', 'sync:1', 'event:error']);
  });
});
