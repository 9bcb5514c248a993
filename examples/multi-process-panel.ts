/**
 * Multi-process, part 2 of 2: owns a panel, started by
 * multi-process-tray.js. Reads `show`, `hide`, `toggle` lines on stdin and
 * reports `ready <id>`, `visible true|false` and `clicked <key>` on stdout.
 * Exits when stdin closes (its parent is gone); the engine then removes its panel.
 */
import * as readline from 'node:readline';
import type { PanepipeEvent } from '../client';
import { connectExample, parseExampleArgs, runLoop, runMain, stopLoop } from './common';

const W = 240;
const H = 120;

runMain(async () => {
  const args = parseExampleArgs('Usage: multi-process-panel.js (started by multi-process-tray.js)');
  const pp = await connectExample(args, 'multi-process panel');
  const panel = await pp.createPanel({ width: W, height: H, placement: { monitor: 0, anchor: 'bottomRight', margin: 40 } });
  let clicks = 0;
  let visible = false;
  panel.setRect('bg', { x: 0, y: 0, width: W, height: H, fill: '#263238f2', cornerRadius: 10 });
  panel.setText('title', { text: `Panel of pid ${process.pid}`, x: 14, y: 12, fontSize: 14, color: '#80cbc4' });
  panel.setRect('btn', { x: 14, y: 62, width: 110, height: 40, fill: '#00897b', cornerRadius: 6, interactive: true });
  panel.setText('btnLabel', { text: 'Ping', x: 14, y: 72, wrapWidth: 110, align: 'center', fontSize: 16, color: '#ffffff' });
  const count = () => panel.setText('count', { text: `${clicks} ping(s)`, x: 140, y: 72, fontSize: 15, color: '#eceff1' });
  count();

  const setVisible = async (v: boolean) => {
    visible = v;
    if (v) panel.show();
    else panel.hide();
    await pp.sync();
    console.log(`visible ${v}`);
  };
  let queue = Promise.resolve();
  const rl = readline.createInterface({ input: process.stdin });
  rl.on('line', (line) => {
    const cmd = line.trim();
    queue = queue.then(() => (cmd === 'show' ? setVisible(true) : cmd === 'hide' ? setVisible(false) : cmd === 'toggle' ? setVisible(!visible) : undefined));
  });
  rl.on('close', () => void queue.then(stopLoop));
  console.log(`ready ${panel.id}`);

  await runLoop(pp, args, {
    onEvent(ev: PanepipeEvent) {
      if (ev.type === 'elementClicked' && ev.surface === panel.id) {
        clicks++;
        count();
        console.log(`clicked ${ev.key}`);
      }
    },
  });
});
