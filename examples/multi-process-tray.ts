/**
 * Multi-process, part 1 of 2: this process owns a tray icon; another
 * process (multi-process-panel.js, which this one starts) owns a panel.
 *
 * A session can only name its own surfaces, so the tray cannot take the
 * other process's panel as its popup (`setPopup`). Instead the two processes
 * coordinate over their own channel: this process starts the panel process
 * with a pipe to its stdin and writes `show`, `hide` or `toggle` when the
 * tray is clicked; the panel process answers on its stdout. Each process
 * talks to the one engine on its own connection; when either exits, only
 * its own surfaces go.
 *
 *   node dist/examples/multi-process-tray.js [--duration MS] [--screenshot FILE.png] [--simulate]
 */
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import * as readline from 'node:readline';
import type { PanepipeEvent } from '../client';
import { connectExample, parseExampleArgs, runLoop, runMain, squareIcon, stopLoop } from './common';

runMain(async () => {
  const args = parseExampleArgs('Usage: node dist/examples/multi-process-tray.js [options]');
  const pp = await connectExample(args, 'multi-process tray');
  const tray = await pp.createTray({ tooltip: 'Toggle the other process’s panel', icon: squareIcon([80, 160, 255]) });
  tray.setMenu([
    { id: 'toggle', label: 'Show/hide panel' },
    { id: 'quit', label: 'Quit' },
  ]);

  const child = spawn(process.execPath, [path.join(__dirname, 'multi-process-panel.js'), ...(args.endpoint ? ['--endpoint', args.endpoint] : [])], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let visible = false;
  let waiters: Array<(line: string) => void> = [];
  readline.createInterface({ input: child.stdout! }).on('line', (line) => {
    console.log(`[panel process] ${line}`);
    if (line.startsWith('visible ')) visible = line === 'visible true';
    const w = waiters;
    waiters = [];
    for (const f of w) f(line);
  });
  const next = (prefix: string) =>
    new Promise<string>((resolve, reject) => {
      const onLine = (line: string) => (line.startsWith(prefix) ? resolve(line) : waiters.push(onLine));
      waiters.push(onLine);
      void exited.then((code) => reject(new Error(`panel process exited (${code}) before "${prefix}"`)));
    });
  const send = (cmd: 'show' | 'hide' | 'toggle') => child.stdin!.write(`${cmd}\n`);

  await next('ready');
  send('show');
  await next('visible');
  console.log(`multi-process: tray ${tray.id} drives the panel process (pid ${child.pid})`);

  const onEvent = (ev: PanepipeEvent) => {
    if (ev.type === 'trayClicked' && ev.tray === tray.id && ev.button === 'left') send('toggle');
    if (ev.type === 'trayMenuItemClicked' && ev.tray === tray.id) {
      if (ev.itemId === 'toggle') send('toggle');
      if (ev.itemId === 'quit') stopLoop();
    }
  };
  await runLoop(pp, args, {
    onEvent,
    async simulate() {
      // Hide the panel and show it again, by clicking the tray icon.
      pp.command('testTrayClick', { surface: tray.id, button: 'left' });
      await next('visible false');
      pp.command('testTrayClick', { surface: tray.id, button: 'left' });
      await next('visible true');
    },
  });
  child.stdin!.end(); // the panel process exits on EOF, and its panel goes with it
  const code = await exited;
  console.log(`multi-process: panel process exited (${code}); panel was ${visible ? 'visible' : 'hidden'}`);
  if (code !== 0) throw new Error(`panel process failed (${code})`);
});
