/**
 * Demo client 1: a click-through clock HUD in the top-right corner,
 * updated every second. Prints every event it receives.
 */
import { connect } from '../../client';

async function main(): Promise<void> {
  const pp = await connect({ name: 'demo clock' });
  const hud = await pp.createHud({ width: 220, height: 64, placement: { monitor: 0, anchor: 'topRight', margin: 20 } });
  hud.setRect('bg', { x: 0, y: 0, width: 220, height: 64, fill: '#14141ec8', cornerRadius: 10, borderColor: '#5b8cff', borderWidth: 2 });
  hud.setText('label', { text: 'panepipe clock', x: 14, y: 8, fontSize: 12, color: '#9fb4ff' });
  const tick = () => hud.setText('time', { text: new Date().toLocaleTimeString('en-GB'), x: 14, y: 26, fontSize: 24, fontWeight: 'bold', color: '#ffffff' });
  tick();
  hud.fadeIn(300);
  setInterval(tick, 1000);
  await pp.sync();
  console.log(`ready hud=${hud.id}`);
  for await (const ev of pp) {
    console.log(`event ${JSON.stringify(ev)}`);
    if (ev.type === 'disconnected') process.exit(0);
  }
}

main().catch((err: Error) => {
  console.error(err.message);
  process.exit(1);
});
