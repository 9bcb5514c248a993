/**
 * A countdown timer: an interactive panel with Start/Pause and Reset
 * buttons. Clicks arrive as `elementClicked` events; hovering a button
 * (`elementHovered` / `elementLeft`) highlights it. Drag it by its title bar.
 *
 *   node dist/examples/countdown.js [--seconds N] [--duration MS] [--screenshot FILE.png] [--simulate]
 */
import type { PanepipeEvent, Panel } from '../client';
import { connectExample, parseExampleArgs, runLoop, runMain } from './common';

const W = 260;
const H = 150;
const BUTTONS = { start: { x: 20, label: 'Start' }, reset: { x: 140, label: 'Reset' } } as const;
type ButtonKey = keyof typeof BUTTONS;

runMain(async () => {
  const args = parseExampleArgs('Usage: node dist/examples/countdown.js [--seconds N] [options]', { seconds: { type: 'string' } });
  const total = Number(args.extra.seconds ?? 90);
  const pp = await connectExample(args, 'countdown');
  const panel = await pp.createPanel({ width: W, height: H, placement: { monitor: 0, anchor: 'center', margin: 0 }, draggable: true, dragHeight: 30 });

  let remainingMs = total * 1000;
  let running = false;
  let lastTick = Date.now();
  const hovered = new Set<ButtonKey>();

  panel.setRect('bg', { x: 0, y: 0, width: W, height: H, fill: '#1e1e2ef0', cornerRadius: 10, borderColor: '#44475a', borderWidth: 1 });
  panel.setRect('title', { x: 0, y: 0, width: W, height: 30, fill: '#282a36', cornerRadius: 10 });
  panel.setText('titleText', { text: 'Countdown', x: 12, y: 7, fontSize: 13, color: '#bd93f9' });

  const button = (p: Panel, key: ButtonKey) => {
    const b = BUTTONS[key];
    const label = key === 'start' ? (running ? 'Pause' : remainingMs > 0 ? 'Start' : 'Done') : b.label;
    p.setRect(`${key}Btn`, { x: b.x, y: 100, width: 100, height: 34, fill: hovered.has(key) ? '#6272a4' : '#44475a', cornerRadius: 6, interactive: true });
    p.setText(`${key}Label`, { text: label, x: b.x, y: 108, wrapWidth: 100, align: 'center', fontSize: 15, color: '#f8f8f2' });
  };
  const render = () => {
    const s = Math.ceil(remainingMs / 1000);
    const text = `${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
    panel.setText('time', {
      text,
      x: 0,
      y: 38,
      wrapWidth: W,
      align: 'center',
      fontSize: 44,
      fontWeight: 'bold',
      color: remainingMs === 0 ? '#ff5555' : '#50fa7b',
    });
    button(panel, 'start');
    button(panel, 'reset');
  };

  const tick = () => {
    const now = Date.now();
    if (running) {
      remainingMs = Math.max(0, remainingMs - (now - lastTick));
      if (remainingMs === 0) {
        running = false;
        console.log('countdown: done');
      }
    }
    lastTick = now;
    render();
  };

  const onEvent = (ev: PanepipeEvent) => {
    if (ev.type === 'elementClicked' && ev.surface === panel.id) {
      if (ev.key === 'startBtn' && remainingMs > 0) running = !running;
      if (ev.key === 'resetBtn') {
        running = false;
        remainingMs = total * 1000;
      }
      lastTick = Date.now();
      console.log(`countdown: clicked ${ev.key} (${running ? 'running' : 'stopped'})`);
      render();
    } else if ((ev.type === 'elementHovered' || ev.type === 'elementLeft') && ev.surface === panel.id) {
      const key = ev.key.replace(/(Btn|Label)$/, '') as ButtonKey;
      if (ev.type === 'elementHovered') hovered.add(key);
      else hovered.delete(key);
      render();
    }
  };

  render();
  panel.show();
  console.log(`countdown: panel ${panel.id} shown`);
  await runLoop(pp, args, {
    tick,
    everyMs: 250,
    onEvent,
    // Click Start through the engine's hit testing, as a user would.
    async simulate() {
      const at = await panel.getPosition();
      pp.command('testPointer', { action: 'click', x: at.x + BUTTONS.start.x + 50, y: at.y + 117 });
    },
  });
});
