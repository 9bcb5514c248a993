/**
 * A clock overlay: a click-through HUD in the top-right corner showing the
 * time and date, updated every second.
 *
 *   node dist/examples/clock.js [--duration MS] [--screenshot FILE.png]
 */
import { connectExample, parseExampleArgs, runLoop, runMain } from './common';

runMain(async () => {
  const args = parseExampleArgs('Usage: node dist/examples/clock.js [options]');
  const pp = await connectExample(args, 'clock');
  const hud = await pp.createHud({ width: 220, height: 84, placement: { monitor: 0, anchor: 'topRight', margin: 20 } });
  hud.setRect('bg', { x: 0, y: 0, width: 220, height: 84, fill: '#101826e0', cornerRadius: 12, borderColor: '#3a86ff', borderWidth: 2 });
  hud.setRect('accent', { x: 14, y: 16, width: 4, height: 52, fill: '#3a86ff', cornerRadius: 2 });
  const pad = (n: number) => String(n).padStart(2, '0');
  const tick = () => {
    const now = new Date();
    hud.setText('time', {
      text: `${pad(now.getHours())}:${pad(now.getMinutes())}:${pad(now.getSeconds())}`,
      x: 30,
      y: 10,
      fontSize: 34,
      fontWeight: 'bold',
      color: '#ffffff',
    });
    hud.setText('date', { text: now.toDateString(), x: 31, y: 54, fontSize: 14, color: '#9fb3c8' });
  };
  tick();
  hud.fadeIn(250);
  console.log(`clock: HUD ${hud.id} shown`);
  await runLoop(pp, args, { tick, everyMs: 1000 });
});
