import { connect } from '../../client';
import { decodePng } from '../helpers/png';
import { isAlive, nextEvent, startEngine } from '../helpers/engine';

it('with reconnect, a killed engine is replaced and every surface rebuilt behind the same handles', async () => {
  const engine = await startEngine(['--persistent', '--test-input']);
  const pp = await connect({
    endpoint: engine.endpoint,
    stateDir: engine.stateDir,
    reconnect: true,
    autostart: true,
    engineArgs: ['--test-input'],
    idleExitMs: 500,
  });
  const hud = await pp.createHud({ width: 60, height: 40, placement: { x: 10, y: 10 } });
  hud.setRect('bg', { x: 0, y: 0, width: 60, height: 40, fill: '#204080', cornerRadius: 6 });
  hud.setText('t', { text: 'hi', x: 4, y: 4, color: '#ffffff' });
  hud.setRect('gone', { x: 0, y: 0, width: 5, height: 5, fill: '#ff0000' });
  hud.removeElement('gone');
  hud.show();
  const hidden = await pp.createHud({ width: 20, height: 20 });
  hidden.show();
  hidden.hide();
  const panel = await pp.createPanel({ width: 100, height: 60, placement: { x: 300, y: 300 }, draggable: true, dragHeight: 20 });
  panel.setRect('button', { x: 0, y: 30, width: 100, height: 30, fill: '#00aa00', interactive: true });
  panel.show();
  pp.command('testPointer', { action: 'down', x: 310, y: 305 });
  pp.command('testPointer', { action: 'up', x: 410, y: 355 });
  await nextEvent(pp, 'surfaceMoved');
  const tray = await pp.createTray({ tooltip: 'tray' });
  tray.setMenu([{ id: 'x', label: 'X' }]);
  tray.setPopup(panel);
  const before = await decodePng((await hud.snapshot()).png);
  const oldPid = (await pp.status()).pid;

  engine.proc.kill('SIGKILL');
  await nextEvent(pp, 'reconnecting');
  const reconnected = await nextEvent(pp, 'reconnected', 15_000);
  expect(reconnected.surfaces).toBe(4);

  const status = await pp.status();
  expect(status.pid).not.toBe(oldPid);
  const listed = new Map((await pp.listSurfaces()).map((s) => [s.id, s]));
  expect([...listed.keys()].sort()).toEqual([hud.id, hidden.id, panel.id, tray.id].sort());
  expect(listed.get(hud.id)).toMatchObject({ visible: true, elements: 2 });
  expect(listed.get(hidden.id)!.visible).toBe(false);
  expect(await panel.getPosition()).toMatchObject({ x: 400, y: 350 });
  const after = await decodePng((await hud.snapshot()).png);
  for (const [x, y] of [[30, 20], [1, 1], [5, 8]] as const) expect(after.at(x, y)).toEqual(before.at(x, y));

  // Events name the application's ids, and old handles keep working.
  pp.command('testPointer', { action: 'click', x: 450, y: 395 });
  expect(await nextEvent(pp, 'elementClicked')).toMatchObject({ surface: panel.id, key: 'button' });
  pp.command('testTrayClick', { surface: tray.id, button: 'left' });
  expect(await nextEvent(pp, 'trayClicked')).toMatchObject({ tray: tray.id });
  expect((await pp.listSurfaces()).find((s) => s.id === panel.id)!.visible).toBe(false); // the popup toggled
  const fresh = await pp.createHud({ width: 5, height: 5 });
  expect([hud.id, hidden.id, panel.id, tray.id]).not.toContain(fresh.id);
  fresh.setOpacity(0.5);
  hud.destroy();
  expect((await pp.listSurfaces()).map((s) => s.id).sort()).toEqual([hidden.id, panel.id, tray.id, fresh.id].sort());

  await pp.close();
  // The replacement engine was autostarted: it exits by itself once idle.
  const deadline = Date.now() + 5_000;
  while (Date.now() < deadline && isAlive(status.pid)) await new Promise((r) => setTimeout(r, 50));
  expect(isAlive(status.pid)).toBe(false);
}, 30_000);
