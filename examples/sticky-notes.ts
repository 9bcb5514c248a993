/**
 * Sticky notes toggled from a tray icon. Left-click the icon to hide or
 * show every note; its menu adds a note, toggles them, or quits. Each note
 * is a draggable panel with a close button; tray events carry the tray's id.
 *
 *   node dist/examples/sticky-notes.js [--duration MS] [--screenshot FILE.png] [--simulate]
 */
import type { PanepipeEvent, Panel } from '../client';
import { connectExample, parseExampleArgs, runLoop, runMain, squareIcon, stopLoop } from './common';

const W = 200;
const H = 150;
const COLORS = ['#fff275', '#ff9f9f', '#9fe6a0', '#9fd3ff'];
const TEXTS = ['Buy milk\nCall Sam at 3', 'Ship panepipe 0.1', 'Stand-up 9:30', 'Water the plants'];

runMain(async () => {
  const args = parseExampleArgs('Usage: node dist/examples/sticky-notes.js [options]');
  const pp = await connectExample(args, 'sticky notes');
  const tray = await pp.createTray({ tooltip: 'Sticky notes', icon: squareIcon([255, 220, 60]) });
  tray.setMenu([
    { id: 'new', label: 'New note' },
    { id: 'toggle', label: 'Show/hide notes' },
    { id: 'sep', separator: true },
    { id: 'quit', label: 'Quit' },
  ]);

  const notes: Panel[] = [];
  let visible = true;
  const addNote = async () => {
    const i = notes.length;
    const note = await pp.createPanel({ width: W, height: H, placement: { x: 80 + i * (W + 20), y: 120 + (i % 2) * 40 }, draggable: true, dragHeight: 24 });
    const color = COLORS[i % COLORS.length]!;
    note.setRect('paper', { x: 0, y: 0, width: W, height: H, fill: color, cornerRadius: 4 });
    note.setRect('band', { x: 0, y: 0, width: W, height: 24, fill: '#00000022', cornerRadius: 4 });
    note.setText('close', { text: '×', x: W - 20, y: 1, fontSize: 18, color: '#333333', interactive: true });
    note.setText('text', { text: TEXTS[i % TEXTS.length]!, x: 12, y: 34, wrapWidth: W - 24, fontSize: 16, color: '#222222' });
    if (visible) note.show();
    notes.push(note);
  };
  const setVisible = (v: boolean) => {
    visible = v;
    for (const n of notes) v ? n.show() : n.hide();
    tray.setTooltip(`Sticky notes (${notes.length}, ${v ? 'shown' : 'hidden'})`);
  };

  await addNote();
  await addNote();
  setVisible(true);
  console.log(`sticky notes: tray ${tray.id}, notes ${notes.map((n) => n.id).join(', ')}`);

  const onEvent = async (ev: PanepipeEvent) => {
    if (ev.type === 'trayClicked' && ev.tray === tray.id && ev.button === 'left') {
      setVisible(!visible);
      console.log(`sticky notes: ${visible ? 'shown' : 'hidden'}`);
    } else if (ev.type === 'trayMenuItemClicked' && ev.tray === tray.id) {
      console.log(`sticky notes: menu ${ev.itemId}`);
      if (ev.itemId === 'new') {
        await addNote();
        setVisible(true);
      } else if (ev.itemId === 'toggle') setVisible(!visible);
      else if (ev.itemId === 'quit') stopLoop();
    } else if (ev.type === 'elementClicked' && ev.key === 'close') {
      const i = notes.findIndex((n) => n.id === ev.surface);
      if (i >= 0) notes.splice(i, 1)[0]!.destroy();
    }
  };

  await runLoop(pp, args, {
    onEvent,
    simulate() {
      // Hide, show again, then add a third note from the menu.
      pp.command('testTrayClick', { surface: tray.id, button: 'left' });
      pp.command('testTrayClick', { surface: tray.id, button: 'left' });
      pp.command('testTrayMenuSelect', { surface: tray.id, itemId: 'new' });
    },
  });
});
