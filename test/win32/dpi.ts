// Raising Wine's DPI for a suite, and putting it back.
//
// Wine 8 reads the system DPI once per process, at start, from
// HKCU\Control Panel\Desktop "LogPixels" (REG_DWORD), falling back to
// HKLM\System\CurrentControlSet\Hardware Profiles\Current\Software\Fonts
// "LogPixels" (= HKEY_CURRENT_CONFIG\Software\Fonts; 96 in a fresh prefix)
// when the first is absent, which it is in a fresh prefix. Every DPI query
// then answers with it: GetDpiForMonitor(MDT_EFFECTIVE_DPI),
// GetDpiForSystem, GetDeviceCaps(LOGPIXELSX/Y). A process started after
// `reg add` sees the new value; no wineserver restart is needed (processes
// already running keep theirs).
//
// The prefix is shared by every win32 suite, so the override is recorded in
// a marker file before it is made. restoreWineDpi() puts the original value
// back (deletes it when there was none) and removes the marker; other suites
// call restoreWineDpiIfOverridden() first, so a run killed in the middle
// never leaves a later run at 144 DPI. Suites must run one at a time
// (--runInBand), as they already must for the shared wineserver.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { wineEnv } from './paths';

export const DESKTOP_KEY = 'HKCU\\Control Panel\\Desktop';

function markerPath(): string {
  return path.join(wineEnv().cacheDir, 'dpi-override.json');
}

/** Runs `wine64 reg ARGS` on the test prefix; returns stdout, throws on failure unless `allowFail`. */
function reg(args: string[], allowFail = false): { status: number | null; stdout: string } {
  const env = wineEnv();
  const childEnv: NodeJS.ProcessEnv = { ...process.env, WINEPREFIX: env.prefix, WINEDEBUG: '-all', WINEDLLOVERRIDES: 'mscoree,mshtml=' };
  delete childEnv.DISPLAY; // reg.exe needs no X server
  const r = spawnSync(env.wine, ['reg', ...args], {
    env: childEnv,
    encoding: 'utf8',
    timeout: 30_000,
  });
  if (r.status !== 0 && !allowFail) throw new Error(`wine reg ${args.join(' ')} failed (${r.status}): ${r.stdout}${r.stderr}`);
  return { status: r.status, stdout: r.stdout ?? '' };
}

/** The LogPixels value under HKCU\Control Panel\Desktop, or null when absent. */
export function readDesktopLogPixels(): number | null {
  const r = reg(['query', DESKTOP_KEY, '/v', 'LogPixels'], true);
  const m = /LogPixels\s+REG_DWORD\s+(0x[0-9a-f]+|\d+)/i.exec(r.stdout);
  return r.status === 0 && m ? Number(m[1]) : null;
}

function writeDesktopLogPixels(value: number | null): void {
  if (value === null) reg(['delete', DESKTOP_KEY, '/v', 'LogPixels', '/f'], true);
  else reg(['add', DESKTOP_KEY, '/v', 'LogPixels', '/t', 'REG_DWORD', '/d', String(value), '/f']);
}

/** Makes Wine processes started from now on see `dpi`. Remembers the original value first. */
export function setWineDpi(dpi: number): void {
  const marker = markerPath();
  if (!fs.existsSync(marker)) fs.writeFileSync(marker, JSON.stringify({ original: readDesktopLogPixels() }));
  writeDesktopLogPixels(dpi);
}

/** Puts back what setWineDpi found (no value = Wine's fallback, 96 in a fresh prefix). */
export function restoreWineDpi(): void {
  const marker = markerPath();
  if (!fs.existsSync(marker)) return;
  const { original } = JSON.parse(fs.readFileSync(marker, 'utf8')) as { original: number | null };
  writeDesktopLogPixels(original);
  fs.rmSync(marker);
}

/** For suites that expect the default DPI: undoes an override a killed run left behind. */
export function restoreWineDpiIfOverridden(): void {
  if (fs.existsSync(markerPath())) restoreWineDpi();
}
