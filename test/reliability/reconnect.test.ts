import * as fs from 'node:fs';
import { connect } from '../../client';
import { connectionFilePath } from '../../protocol';
import { decodePng } from '../helpers/png';
import { isAlive, nextEvent, startEngine, tempStateDir } from '../helpers/engine';

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
  for (const [x, y] of [
    [30, 20],
    [1, 1],
    [5, 8],
  ] as const)
    expect(after.at(x, y)).toEqual(before.at(x, y));

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

it('with reconnect, ids the new engine hands out differently still reach the app as its own, and a request sent during the outage is answered', async () => {
  const stateDir = tempStateDir();
  const args = ['--persistent', '--test-input'];
  const first = await startEngine(args, stateDir);
  const pp = await connect({ endpoint: first.endpoint, stateDir, reconnect: true });
  const goneTray = await pp.createTray({ tooltip: 'gone' });
  const tray = await pp.createTray({ tooltip: 'kept' });
  const gonePanel = await pp.createPanel({ width: 10, height: 10 });
  const panel = await pp.createPanel({ width: 100, height: 60, placement: { x: 300, y: 300 } });
  panel.setRect('button', { x: 0, y: 0, width: 100, height: 60, fill: '#00aa00', interactive: true });
  panel.show();
  goneTray.destroy();
  gonePanel.destroy();
  await pp.sync();

  first.proc.kill('SIGKILL');
  await nextEvent(pp, 'reconnecting');
  // No engine answers now: this request waits for the next one.
  const during = pp.status();
  fs.rmSync(connectionFilePath(first.endpoint, { stateDir }), { force: true });
  const second = await startEngine(args, stateDir);
  await nextEvent(pp, 'reconnected', 15_000);
  expect(await settledWithin(during, 5_000)).toMatchObject({
    pid: second.proc.pid,
    surfaces: expect.arrayContaining([expect.objectContaining({ id: tray.id })]),
  });

  // The new engine numbered the rebuilt surfaces from 1: the app's ids are no longer the engine's.
  const observer = await second.connect();
  const engineIds = (await observer.status()).surfaces.map((s) => s.id).sort();
  expect(engineIds).toEqual(['s1', 't1']);
  expect([tray.id, panel.id].sort()).toEqual(['s2', 't2']);

  pp.command('testTrayClick', { surface: tray.id, button: 'right' });
  expect(await nextEvent(pp, 'trayClicked')).toMatchObject({ tray: tray.id, button: 'right' });
  pp.command('testPointer', { action: 'click', x: 350, y: 330 });
  expect(await nextEvent(pp, 'elementClicked')).toMatchObject({ surface: panel.id, key: 'button' });
  tray.setMenu([{ id: 'go', label: 'Go' }]);
  pp.command('testTrayMenuSelect', { surface: tray.id, itemId: 'go' });
  expect(await nextEvent(pp, 'trayMenuItemClicked')).toMatchObject({ tray: tray.id, itemId: 'go' });

  await observer.close();
  await pp.close();
  await second.stop();
}, 30_000);

/** The promise's value, or a rejection if it is still pending after `ms`. */
function settledWithin<T>(promise: Promise<T>, ms: number): Promise<T> {
  return Promise.race([promise, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`still pending after ${ms} ms`)), ms).unref())]);
}
