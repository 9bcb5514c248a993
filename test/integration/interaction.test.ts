import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Client } from '../../client';
import { decodePng, solidPng } from '../helpers/png';
import { boxOf, screenshot } from '../helpers/screen';
import { CLI, drainEvents, nextEvent, sharedEngine, startEngine, tempStateDir, type TestEngine } from '../helpers/engine';

const shared = sharedEngine(['--persistent', '--test-input', '--monitors', '1000x800@96,800x600@144']);
let engine: TestEngine;
let pp: Client;
beforeAll(() => ({ engine, client: pp } = shared));

describe('panel input (headless, through the shared hit test)', () => {
  it('hover, click and leave arrive in order; the topmost interactive element wins', async () => {
    const panel = await pp.createPanel({ width: 200, height: 100, placement: { x: 100, y: 100 } });
    panel.setRect('bg', { x: 0, y: 0, width: 200, height: 100, fill: '#222222' });
    panel.setRect('under', { x: 10, y: 10, width: 100, height: 50, fill: '#0000ff', interactive: true });
    panel.setRect('over', { x: 50, y: 10, width: 60, height: 50, fill: '#00ff00', interactive: true });
    panel.show();
    await pp.sync();
    drainEvents(pp);
    const pointer = (action: 'move' | 'click', x: number, y: number) => pp.command('testPointer', { action, x, y });
    pointer('move', 120, 120); // under
    pointer('move', 170, 120); // over (on top of under)
    pointer('click', 170, 120);
    pointer('move', 250, 180); // non-interactive background
    await pp.sync();
    const events = drainEvents(pp).map((e) => [e.type, (e as { key?: string }).key]);
    expect(events).toEqual([
      ['elementHovered', 'under'],
      ['elementLeft', 'under'],
      ['elementHovered', 'over'],
      ['elementClicked', 'over'],
      ['elementLeft', 'over'],
    ]);
    panel.destroy();
  });

  it('a HUD never takes input: a click on it reaches the panel beneath', async () => {
    const panel = await pp.createPanel({ width: 100, height: 100, placement: { x: 400, y: 100 } });
    panel.setRect('button', { x: 0, y: 0, width: 100, height: 100, fill: '#ff0000', interactive: true });
    panel.show();
    const hud = await pp.createHud({ width: 100, height: 100, placement: { x: 400, y: 100 } });
    hud.setRect('cover', { x: 0, y: 0, width: 100, height: 100, fill: '#ffffff' });
    hud.show();
    await pp.sync();
    drainEvents(pp);
    pp.command('testPointer', { action: 'click', x: 450, y: 150 });
    expect(await nextEvent(pp, 'elementClicked')).toMatchObject({ surface: panel.id, key: 'button' });
    pp.command('setText', { surface: hud.id, key: 'x', text: 'x', x: 0, y: 0, interactive: true });
    expect(await nextEvent(pp, 'error')).toMatchObject({ code: 'wrongSurfaceKind' });
    panel.destroy();
    hud.destroy();
  });

  it('drags by the drag region (an interactive element inside it still wins) and reports surfaceMoved', async () => {
    const panel = await pp.createPanel({ width: 200, height: 100, placement: { x: 100, y: 300 }, draggable: true, dragHeight: 30 });
    panel.setRect('close', { x: 170, y: 0, width: 30, height: 30, fill: '#ff0000', interactive: true });
    panel.show();
    await pp.sync();
    drainEvents(pp);
    pp.command('testPointer', { action: 'click', x: 285, y: 315 });
    expect(await nextEvent(pp, 'elementClicked')).toMatchObject({ key: 'close' });
    pp.command('testPointer', { action: 'down', x: 150, y: 310 });
    pp.command('testPointer', { action: 'move', x: 200, y: 360 });
    pp.command('testPointer', { action: 'up', x: 250, y: 410 });
    expect(await nextEvent(pp, 'surfaceMoved')).toEqual({ type: 'surfaceMoved', surface: panel.id, x: 200, y: 400 });
    expect(await panel.getPosition()).toEqual({ x: 200, y: 400, width: 200, height: 100 });
    // Below the drag region nothing takes the click: it falls through.
    pp.command('testPointer', { action: 'click', x: 250, y: 480 });
    await pp.sync();
    expect(drainEvents(pp)).toEqual([]);
    panel.destroy();
  });
});

describe('placement', () => {
  it('anchors to a monitor work area with a margin, on the monitor asked for', async () => {
    const [primary, second] = await pp.monitors();
    expect(second).toMatchObject({ index: 1, primary: false, dpi: 144, scale: 1.5, bounds: { x: 1000, y: 0 } });
    const tr = await pp.createHud({ width: 100, height: 50, placement: { anchor: 'topRight', margin: 20 } });
    expect(await tr.getPosition()).toEqual({ x: primary!.workArea.width - 120, y: 20, width: 100, height: 50 });
    const br = await pp.createHud({ width: 100, height: 50, placement: { monitor: 1, anchor: 'bottomRight', margin: 10 } });
    const wa = second!.workArea;
    expect(await br.getPosition()).toEqual({ x: Math.round(wa.x + wa.width - 110), y: Math.round(wa.y + wa.height - 60), width: 100, height: 50 });
    const p = await decodePng((await br.snapshot()).png);
    expect([p.width, p.height]).toEqual([150, 75]);
    await expect(pp.createHud({ width: 10, height: 10, placement: { monitor: 5, anchor: 'center' } })).rejects.toMatchObject({ code: 'invalidCommand' });
    // area 'monitor': the whole monitor rectangle, taskbar included.
    const full = await pp.createHud({ width: 100, height: 50, placement: { monitor: 1, anchor: 'bottomRight', margin: 10, area: 'monitor' } });
    const b = second!.bounds;
    expect(await full.getPosition()).toMatchObject({ x: Math.round(b.x + b.width - 110), y: Math.round(b.y + b.height - 60) });
    expect(b.height).toBeGreaterThan(wa.height);
    full.destroy();
    tr.destroy();
    br.destroy();
  });
});

describe('virtual foreign windows: anchoring and pip', () => {
  it('an anchored surface follows its target and hears when it closes', async () => {
    const { window } = await pp.request('testCreateWindow', { x: 100, y: 100, width: 400, height: 300 });
    const hud = await pp.createHud({ width: 50, height: 20 });
    hud.anchorTo(window, 'topRight', { x: -5, y: 5 });
    expect(await hud.getPosition()).toMatchObject({ x: 100 + 400 - 50 - 5, y: 105 });
    pp.command('testMoveWindow', { window, x: 200, y: 150 });
    expect(await hud.getPosition()).toMatchObject({ x: 200 + 400 - 50 - 5, y: 155 });
    pp.command('testCloseWindow', { window });
    expect(await nextEvent(pp, 'anchorTargetClosed')).toEqual({ type: 'anchorTargetClosed', surface: hud.id });
    hud.anchorTo(window, 'center');
    expect(await nextEvent(pp, 'error')).toMatchObject({ code: 'unknownWindow', op: 'anchorTo' });
    hud.destroy();
  });

  it("surfaceCorner 'topLeft' puts the surface's top-left on the target's corner, beside it", async () => {
    const { window } = await pp.request('testCreateWindow', { x: 400, y: 200, width: 400, height: 300 });
    const hud = await pp.createHud({ width: 50, height: 20 });
    hud.anchorTo(window, 'topRight', { x: 10, surfaceCorner: 'topLeft' });
    expect(await hud.getPosition()).toMatchObject({ x: 810, y: 200 });
    hud.anchorTo(window, 'bottomLeft', { surfaceCorner: 'topLeft' });
    expect(await hud.getPosition()).toMatchObject({ x: 400, y: 500 });
    hud.anchorTo(window, 'center', { surfaceCorner: 'topLeft' });
    expect(await hud.getPosition()).toMatchObject({ x: 600, y: 350 });
    hud.destroy();
    pp.command('testCloseWindow', { window });
  });

  it("a pip shows the source window's pixels, cropped by its source region", async () => {
    const { window } = await pp.request('testCreateWindow', { x: 0, y: 0, width: 100, height: 100, color: '#ff0000' });
    const pip = await pp.createPip({ sourceWindow: window, width: 50, height: 50 });
    let p = await decodePng((await pip.snapshot()).png);
    expect(p.at(5, 5)).toEqual([255, 0, 0, 255]); // top-left quadrant: the window's color
    expect(p.at(45, 5)).toEqual([255, 255, 255, 255]); // top-right: white
    pip.setSourceRegion({ x: 50, y: 0, width: 50, height: 50 });
    p = await decodePng((await pip.snapshot()).png);
    expect(p.at(5, 5)).toEqual([255, 255, 255, 255]);
    expect(p.at(45, 45)).toEqual([255, 255, 255, 255]);
    pip.clearSourceRegion();
    pp.command('testCloseWindow', { window });
    expect(await nextEvent(pp, 'pipSourceClosed')).toEqual({ type: 'pipSourceClosed', surface: pip.id });
    await expect(pp.createPip({ sourceWindow: window, width: 10, height: 10 })).rejects.toMatchObject({ code: 'unknownWindow' });
    pip.destroy();
  });
});

describe('tray', () => {
  it('clicks and menu choices carry the tray id; a left click toggles the popup', async () => {
    const tray = await pp.createTray({ tooltip: 'demo' });
    const other = await pp.createTray({ tooltip: 'other' });
    const popup = await pp.createPanel({ width: 120, height: 80 });
    tray.setPopup(popup);
    tray.setMenu([
      { id: 'a', label: 'A' },
      { id: 'off', label: 'Off', enabled: false },
    ]);
    await pp.sync();
    drainEvents(pp);
    const visible = async () => (await pp.listSurfaces()).find((s) => s.id === popup.id)!.visible;
    pp.command('testTrayClick', { surface: tray.id, button: 'left' });
    expect(await nextEvent(pp, 'trayClicked')).toEqual({ type: 'trayClicked', tray: tray.id, button: 'left', double: false });
    expect(await visible()).toBe(true);
    pp.command('testTrayClick', { surface: tray.id, button: 'left' });
    await pp.sync();
    expect(await visible()).toBe(false);
    pp.command('testTrayMenuSelect', { surface: tray.id, itemId: 'a' });
    expect(await nextEvent(pp, 'trayMenuItemClicked')).toEqual({ type: 'trayMenuItemClicked', tray: tray.id, itemId: 'a' });
    pp.command('testTrayClick', { surface: other.id, button: 'right' });
    expect(await nextEvent(pp, 'trayClicked')).toMatchObject({ tray: other.id, button: 'right' });
    pp.command('testTrayMenuSelect', { surface: tray.id, itemId: 'off' });
    expect(await nextEvent(pp, 'error')).toMatchObject({ code: 'invalidCommand' });
    tray.destroy();
    other.destroy();
    popup.destroy();
  });
});

describe('tray popup placement, seen on screen', () => {
  /** Show a cyan popup by clicking its tray's magenta icon; checks it opened just above the icon, on the icon's monitor. */
  async function expectPopupBesideIcon(client: Client): Promise<void> {
    const tray = await client.createTray({ icon: { data: solidPng(16, 16, '#ff00ff') } });
    const popup = await client.createPanel({ width: 120, height: 80 });
    popup.setRect('bg', { x: 0, y: 0, width: 120, height: 80, fill: '#00ffff' });
    tray.setPopup(popup);
    client.command('testTrayClick', { surface: tray.id, button: 'left' });
    await nextEvent(client, 'trayClicked');
    await client.sync();
    const shot = await screenshot(client);
    const icon = boxOf(shot, '#ff00ffff')!;
    const shown = boxOf(shot, '#00ffffff')!;
    expect(icon).not.toBeNull();
    expect(shown).not.toBeNull();
    const monitors = await client.monitors();
    const monitorOf = (box: NonNullable<typeof icon>) => {
      const [x, y] = [(box.left + box.right) / 2, (box.top + box.bottom) / 2];
      return monitors.find((m) => x >= m.physicalBounds.x && x < m.physicalBounds.x + m.physicalBounds.width && y < m.physicalBounds.height)!.index;
    };
    expect(monitorOf(shown)).toBe(monitorOf(icon));
    // Right edges line up; the popup ends above the icon, less than an icon's height from it.
    expect(Math.abs(shown.right - icon.right)).toBeLessThanOrEqual(1);
    expect(icon.top - shown.bottom).toBeGreaterThan(0);
    expect(icon.top - shown.bottom).toBeLessThanOrEqual(icon.bottom - icon.top + 1);
    tray.destroy();
    popup.destroy();
  }

  it('a left click opens the popup just above its icon', async () => {
    await expectPopupBesideIcon(pp);
  });

  it('with the taskbar on the second monitor, the popup opens there, beside its icon', async () => {
    const engine = await startEngine(['--persistent', '--test-input', '--monitors', '1000x800@96,800x600@144+tray']);
    const c = await engine.connect();
    await expectPopupBesideIcon(c);
    await c.close();
    await engine.stop();
  });
});

describe('persisted positions', () => {
  it('a dragged panel comes back where it was in a fresh engine; a corrupt file means defaults', async () => {
    const stateDir = tempStateDir();
    const first = await startEngine(['--persistent', '--test-input'], stateDir);
    let c = await first.connect();
    let panel = await c.createPanel({ width: 100, height: 50, placement: { x: 10, y: 10 }, draggable: true, positionKey: 'notes' });
    panel.show();
    c.command('testPointer', { action: 'down', x: 20, y: 20 });
    c.command('testPointer', { action: 'up', x: 320, y: 220 });
    await nextEvent(c, 'surfaceMoved');
    await c.close();
    await first.stop();
    expect(JSON.parse(fs.readFileSync(path.join(stateDir, 'positions.json'), 'utf8'))).toEqual({ notes: { x: 310, y: 210 } });

    const second = await startEngine(['--persistent'], stateDir);
    c = await second.connect();
    panel = await c.createPanel({ width: 100, height: 50, placement: { x: 10, y: 10 }, positionKey: 'notes' });
    expect(await panel.getPosition()).toMatchObject({ x: 310, y: 210 });
    await c.close();
    await second.stop();

    fs.writeFileSync(path.join(stateDir, 'positions.json'), '{ not json');
    const third = await startEngine(['--persistent'], stateDir);
    c = await third.connect();
    panel = await c.createPanel({ width: 100, height: 50, placement: { x: 10, y: 10 }, positionKey: 'notes' });
    expect(await panel.getPosition()).toMatchObject({ x: 10, y: 10 });
    await c.close();
    await third.stop();
    expect(third.output()).toMatch(/positions file .* is corrupt, using defaults/);
  });
});

describe('panepipe demo and screenshot', () => {
  it('the demo runs two clients, prints their events and writes a screenshot', async () => {
    const out = path.join(tempStateDir(), 'demo.png');
    const r = spawnSync(process.execPath, [CLI, 'demo', '--out', out, '--backend', 'headless'], { encoding: 'utf8', timeout: 60_000 });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/\[panel\] event .*"elementClicked".*"plus"/);
    expect(r.stdout).toMatch(/\[panel\] event .*"surfaceMoved"/);
    expect(r.stdout).toMatch(/\[panel\] event .*"trayMenuItemClicked","tray":"t\d+","itemId":"reset"/);
    expect(r.stdout).toMatch(/\[clock\] event .*"disconnected"/);
    const p = await decodePng(fs.readFileSync(out));
    expect([p.width, p.height]).toEqual([1280, 720]);
    // The clock HUD's border in the top-right corner.
    expect(p.at(1280 - 20 - 110, 21)).not.toEqual([32, 32, 32, 255]);
  });

  it('`panepipe screenshot` writes the composed desktop', async () => {
    const hud = await pp.createHud({ width: 30, height: 30, placement: { x: 0, y: 0 } });
    hud.setRect('r', { x: 0, y: 0, width: 30, height: 30, fill: '#00ff00' });
    hud.show();
    await pp.sync();
    const out = path.join(tempStateDir(), 'shot.png');
    const env = { ...process.env, PANEPIPE_ENDPOINT: engine.endpoint, PANEPIPE_HOME: engine.stateDir };
    const r = spawnSync(process.execPath, [CLI, 'screenshot', out], { env, encoding: 'utf8' });
    expect(r.status).toBe(0);
    const p = await decodePng(fs.readFileSync(out));
    expect([p.width, p.height]).toEqual([1800, 800]);
    expect(p.at(15, 15)).toEqual([0, 255, 0, 255]);
    hud.destroy();
  });
});
