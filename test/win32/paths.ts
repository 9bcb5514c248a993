// Where setup.sh put Wine, the prefix, node.exe and the Windows native
// modules. Kept in one place so setup.sh and the tests agree on the layout.
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface WineEnv {
  projectRoot: string;
  /** Cache root ($PANEPIPE_WINE_HOME or <project>/.cache/wine). */
  cacheDir: string;
  wine: string;
  wineserver: string;
  /** WINEPREFIX. */
  prefix: string;
  /** Windows node.exe of the same version as the Node running the tests. */
  nodeExe: string;
  /** Linux folder holding node_modules/@koromix/koffi-win32-x64 etc. */
  modulesDir: string;
  /** modulesDir in Windows form, for node.exe's NODE_PATH. */
  nodePath: string;
}

/** Walk up from this file to package.json (works from test/ and dist/test/). */
function findProjectRoot(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(path.join(dir, 'test', 'win32', 'setup.sh'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`panepipe project root not found above ${__dirname}`);
  }
}

/** Wine maps the Linux root to drive Z:, so /a/b becomes Z:\a\b. */
export function toWindowsPath(linuxPath: string): string {
  return `Z:${path.resolve(linuxPath).replace(/\//g, '\\')}`;
}

export function wineEnv(): WineEnv {
  const projectRoot = findProjectRoot();
  const cacheDir = path.resolve(projectRoot, process.env.PANEPIPE_WINE_HOME ?? path.join('.cache', 'wine'));
  const modulesDir = path.join(cacheDir, 'win32-modules', 'node_modules');
  const wineserver64 = '/usr/lib/wine/wineserver64';
  return {
    projectRoot,
    cacheDir,
    wine: '/usr/lib/wine/wine64',
    wineserver: fs.existsSync(wineserver64) ? wineserver64 : '/usr/lib/wine/wineserver',
    prefix: path.join(cacheDir, 'prefix'),
    nodeExe: path.join(cacheDir, `node-v${process.versions.node}-win-x64`, 'node.exe'),
    modulesDir,
    nodePath: toWindowsPath(modulesDir),
  };
}

/** Throws a clear message when setup.sh has not been run (or is stale). */
export function assertWineReady(env: WineEnv = wineEnv()): void {
  const needed = [
    env.wine,
    path.join(env.prefix, 'system.reg'),
    path.join(env.prefix, 'drive_c', 'windows', 'system32', 'bcryptprimitives.dll'),
    env.nodeExe,
    path.join(env.modulesDir, '@koromix', 'koffi-win32-x64', 'package.json'),
    path.join(env.modulesDir, '@napi-rs', 'canvas-win32-x64-msvc', 'package.json'),
  ];
  const missing = needed.filter((f) => !fs.existsSync(f));
  if (missing.length > 0) {
    throw new Error(`Wine harness not set up (missing ${missing.join(', ')}); run: bash test/win32/setup.sh`);
  }
}
