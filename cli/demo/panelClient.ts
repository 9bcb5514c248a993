/**
 * Demo client 2: an interactive counter panel (drag it by its title bar)
 * and a tray icon whose left click toggles a note panel and whose menu
 * resets the counter. Prints every event it receives.
 */
import { connect, type Panel } from '../../client';

function button(panel: Panel, key: string, label: string, x: number): void {
  panel.setRect(key, { x, y: 84, width: 96, height: 36, fill: '#2d6cdf', cornerRadius: 6, interactive: true });
  panel.setText(`${key}-label`, { text: label, x, y: 93, wrapWidth: 96, align: 'center', fontSize: 15, color: '#ffffff' });
}

/** A 16×16 RGBA tray icon: a blue square with a white dot. */
function iconPixels(): Uint8Array {
  const px = new Uint8Array(16 * 16 * 4);
  for (let i = 0; i < 256; i++) {
    const x = i % 16;
    const y = Math.floor(i / 16);
    const dot = (x - 7.5) ** 2 + (y - 7.5) ** 2 < 12;
    px.set(dot ? [255, 255, 255, 255] : [45, 108, 223, 255], i * 4);
  }
  return px;
}

async function main(): Promise<void> {
  const pp = await connect({ name: 'demo panel' });
  const panel = await pp.createPanel({ width: 240, height: 136, placement: { x: 80, y: 80 }, draggable: true, dragHeight: 28, positionKey: 'demo-counter' });
  panel.setRect('bg', { x: 0, y: 0, width: 240, height: 136, fill: '#1b1d24f0', cornerRadius: 10 });
  panel.setRect('title', { x: 0, y: 0, width: 240, height: 28, fill: '#2a2e3a', cornerRadius: 10 });
  panel.setText('title-text', { text: 'Counter — drag me', x: 12, y: 6, fontSize: 13, color: '#c8d0e0' });
  let count = 0;
  const show = () => panel.setText('count', { text: `Count: ${count}`, x: 12, y: 40, fontSize: 22, fontWeight: 'bold', color: '#ffffff' });
  show();
  button(panel, 'plus', '+1', 12);
  button(panel, 'reset', 'Reset', 132);
  panel.show();

  const note = await pp.createPanel({ width: 200, height: 60 });
  note.setRect('bg', { x: 0, y: 0, width: 200, height: 60, fill: '#fff4a8', cornerRadius: 6 });
  note.setText('text', { text: 'A note from the tray', x: 10, y: 10, wrapWidth: 180, fontSize: 14, color: '#333333' });

  const tray = await pp.createTray({ tooltip: 'panepipe demo', icon: { rgba: iconPixels(), width: 16, height: 16 } });
  tray.setPopup(note);
  tray.setMenu([
    { id: 'reset', label: 'Reset counter' },
    { id: 'sep', separator: true },
    { id: 'quit', label: 'Quit' },
  ]);
  await pp.sync();
  console.log(`ready panel=${panel.id} tray=${tray.id} note=${note.id}`);

  for await (const ev of pp) {
    console.log(`event ${JSON.stringify(ev)}`);
    if (ev.type === 'elementClicked' && ev.key === 'plus') count++;
    if ((ev.type === 'elementClicked' && ev.key === 'reset') || (ev.type === 'trayMenuItemClicked' && ev.itemId === 'reset')) count = 0;
    if (ev.type === 'elementClicked' || ev.type === 'trayMenuItemClicked') show();
    if (ev.type === 'trayMenuItemClicked' && ev.itemId === 'quit') await pp.close();
    if (ev.type === 'disconnected') process.exit(0);
  }
}

main().catch((err: Error) => {
  console.error(err.message);
  process.exit(1);
});
