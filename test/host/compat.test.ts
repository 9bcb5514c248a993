/**
 * winpane-host compatibility: `panepipe host` over stdio, method by method,
 * asserting the results, errors and events winpane-host's protocol document
 * and dispatcher give. Surfaces are checked through the host's own answers
 * (`get_position`, `snapshot`) and the engine's status and screen.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Client } from '../../client';
import { sharedEngine } from '../helpers/engine';
import { decodePng, solidBmp, solidPng } from '../helpers/png';
import { HostProcess, type RpcReply } from './hostProcess';

// Declared before the shared engine's: the host exits (0, at EOF) before the engine stops.
afterAll(async () => {
  expect(await host.close()).toBe(0);
  fs.rmSync(dir, { recursive: true, force: true });
});
const shared = sharedEngine();
let pp: Client;
let host: HostProcess;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pp-compat-'));
const RED_BMP = path.join(dir, 'red.bmp');
const GREEN_PNG = path.join(dir, 'green.png');
fs.writeFileSync(RED_BMP, solidBmp(8, 6, [255, 0, 0]));
fs.writeFileSync(GREEN_PNG, solidPng(8, 8, '#00ff00'));

beforeAll(() => {
  pp = shared.client;
  host = new HostProcess(shared.env());
});

/** A virtual window of "another program" (headless test hook). */
const foreignWindow = async (x: number, y: number, width: number, height: number, color = '#336699') =>
  (await pp.request('testCreateWindow', { x, y, width, height, color })).window;

const expectError = (reply: RpcReply, code: number, message?: string | RegExp) => {
  expect(reply.result).toBeUndefined();
  expect(reply.error?.code).toBe(code);
  if (message !== undefined) expect(reply.error?.message).toMatch(message);
};

/** The engine's view of a host surface, by its position (the host's ids are not the engine's). */
const engineSurfaceAt = async (x: number, y: number) => (await pp.status()).surfaces.find((s) => s.bounds?.x === x && s.bounds?.y === y);

const hud = (extra: Record<string, unknown> = {}) => host.create('create_hud', { x: 100, y: 100, width: 50, height: 40, ...extra });

describe('placement', () => {
  it('monitor anchors place on the full monitor rectangle, as winpane does (not the work area)', async () => {
    const s = await host.create('create_panel', { placement: { monitor: { index: 0, anchor: 'bottom_right', margin: 20 } }, width: 150, height: 88 });
    expect(await host.ok('get_position', { surface_id: s })).toEqual({ x: 1750, y: 972 });
    const t = await host.create('create_hud', { placement: { monitor: { index: 0, anchor: 'bottom_left' } }, width: 100, height: 100 });
    expect(await host.ok('get_position', { surface_id: t })).toEqual({ x: 20, y: 960 }); // margin defaults to 20
  });
  it('a monitor index that does not exist falls back to monitor 0', async () => {
    const s = await host.create('create_hud', { placement: { monitor: { index: 1, anchor: 'top_right', margin: 10 } }, width: 200, height: 50 });
    expect(await host.ok('get_position', { surface_id: s })).toEqual({ x: 1710, y: 10 });
    const far = await host.create('create_hud', { placement: { monitor: { index: 4000, anchor: 'top_left', margin: 0 } }, width: 20, height: 20 });
    expect(await host.ok('get_position', { surface_id: far })).toEqual({ x: 0, y: 0 });
  });
  it('position placement, top-level x/y, and their errors', async () => {
    const a = await host.create('create_hud', { placement: { position: { x: 300, y: 200 } }, width: 10, height: 10 });
    expect(await host.ok('get_position', { surface_id: a })).toEqual({ x: 300, y: 200 });
    const b = await host.create('create_hud', { x: -50, y: 60, width: 10, height: 10 });
    expect(await host.ok('get_position', { surface_id: b })).toEqual({ x: -50, y: 60 });
    expectError(await host.call('create_hud', { width: 10, height: 10 }), -32602, 'missing or invalid x (expected integer)');
    expectError(await host.call('create_hud', { x: 1, y: 2, height: 10 }), -32602, 'missing or invalid width (expected unsigned integer)');
    expectError(await host.call('create_hud', { x: 1, y: 2, width: -1, height: 10 }), -32602, 'missing or invalid width');
    expectError(
      await host.call('create_hud', { placement: { monitor: { index: 0, anchor: 'middle' } }, width: 1, height: 1 }),
      -32602,
      /invalid anchor: middle/,
    );
    expectError(await host.call('create_hud', { placement: { monitor: { anchor: 'top_left' } }, width: 1, height: 1 }), -32602, 'missing or invalid index');
  });
});

describe('values winpane accepts', () => {
  it('create_hud with width 0 gives a surface', async () => {
    const s = await host.create('create_hud', { x: 10, y: 10, width: 0, height: 0 });
    expect(s).toMatch(/^s\d+$/);
    expect(await host.ok('get_position', { surface_id: s })).toEqual({ x: 10, y: 10 });
  });
  it('set_size beyond the engine limit is clamped to it; 0 to one pixel', async () => {
    const s = await hud({ x: 1234, y: 567 });
    expect(await host.ok('set_size', { surface_id: s, width: 10000, height: 100 })).toEqual({});
    expect((await engineSurfaceAt(1234, 567))?.bounds).toMatchObject({ width: 8192, height: 100 });
    expect(await host.ok('set_size', { surface_id: s, width: 0, height: 5 })).toEqual({});
    expect((await engineSurfaceAt(1234, 567))?.bounds).toMatchObject({ width: 1, height: 5 });
  });
  it('coordinates beyond ±1e6 are clamped, in set_position, placement and elements', async () => {
    const s = await hud();
    expect(await host.ok('set_position', { surface_id: s, x: 5_000_000, y: -2_000_000_000 })).toEqual({});
    expect(await host.ok('get_position', { surface_id: s })).toEqual({ x: 1_000_000, y: -1_000_000 });
    const t = await host.create('create_hud', { x: -3e9, y: 7, width: 10, height: 10 });
    expect(await host.ok('get_position', { surface_id: t })).toEqual({ x: -1_000_000, y: 7 });
    expect(await host.ok('set_text', { surface_id: t, key: 'k', text: 'far', x: 9e9, y: -9e9, font_size: 12 })).toEqual({});
    expect(
      await host.ok('set_rect', { surface_id: t, key: 'r', x: 0, y: 0, width: 5e7, height: -4, corner_radius: -1, border_color: '#fff', border_width: -2 }),
    ).toEqual({});
  });
  it('font_size 0 is accepted and draws nothing; a huge one is capped', async () => {
    const s = await hud({ x: 600, y: 600, width: 60, height: 40 });
    await host.ok('show', { surface_id: s });
    expect(await host.ok('set_text', { surface_id: s, key: 't', text: 'Hi', x: 0, y: 0, font_size: 0 })).toEqual({});
    const shot = await decodePng(Buffer.from((await host.ok('snapshot', { surface_id: s })).png_base64 as string, 'base64'));
    let ink = 0;
    for (let y = 0; y < shot.height; y++) for (let x = 0; x < shot.width; x++) ink += shot.at(x, y)[3];
    expect(ink).toBe(0);
    expect(await host.ok('set_text', { surface_id: s, key: 't', text: 'Hi', x: 0, y: 0, font_size: 5000 })).toEqual({});
    expect(await host.ok('set_text', { surface_id: s, key: 't', text: 'Hi', x: 0, y: 0, font_size: -3 })).toEqual({});
  });
  it('anchor_to a window that does not exist is {} and ends the previous anchoring', async () => {
    const w = await foreignWindow(400, 400, 200, 100);
    const s = await hud({ width: 30, height: 30 });
    await host.ok('anchor_to', { surface_id: s, target_hwnd: w, anchor: 'top_left' });
    expect(await host.ok('get_position', { surface_id: s })).toEqual({ x: 400, y: 400 });
    expect(await host.ok('anchor_to', { surface_id: s, target_hwnd: 987654321, anchor: 'top_left' })).toEqual({});
    expect(await host.ok('anchor_to', { surface_id: s, target_hwnd: 0, anchor: 'top_left' })).toEqual({});
    expect(await host.ok('anchor_to', { surface_id: s, target_hwnd: -4, anchor: 'top_left' })).toEqual({});
    pp.command('testMoveWindow', { window: w, x: 500, y: 450 });
    await pp.sync();
    expect(await host.ok('get_position', { surface_id: s })).toEqual({ x: 400, y: 400 });
  });
  it('opacity and fade durations outside range are clamped', async () => {
    const s = await hud();
    expect(await host.ok('set_opacity', { surface_id: s, opacity: 7 })).toEqual({});
    expect(await host.ok('set_opacity', { surface_id: s, opacity: -1 })).toEqual({});
    expect(await host.ok('fade_in', { surface_id: s, duration_ms: 4_000_000_000 })).toEqual({});
    expectError(await host.call('fade_out', { surface_id: s, duration_ms: -5 }), -32602, 'missing or invalid duration_ms (expected unsigned integer)');
  });
});

describe('anchor_to', () => {
  it('puts the surface top-left on the target corner, beside it, with the offset', async () => {
    const w = await foreignWindow(800, 200, 400, 300);
    const s = await hud({ width: 120, height: 60 });
    await host.ok('anchor_to', { surface_id: s, target_hwnd: w, anchor: 'top_right', offset_x: 10, offset_y: 0 });
    expect(await host.ok('get_position', { surface_id: s })).toEqual({ x: 1210, y: 200 });
    await host.ok('anchor_to', { surface_id: s, target_hwnd: w, anchor: 'bottom_left' });
    expect(await host.ok('get_position', { surface_id: s })).toEqual({ x: 800, y: 500 });
    await host.ok('anchor_to', { surface_id: s, target_hwnd: w, anchor: 'bottom_right', offset_x: -5, offset_y: 7 });
    expect(await host.ok('get_position', { surface_id: s })).toEqual({ x: 1195, y: 507 });
    // It follows the target.
    pp.command('testMoveWindow', { window: w, x: 700, y: 100 });
    await pp.sync();
    expect(await host.ok('get_position', { surface_id: s })).toEqual({ x: 1095, y: 407 });
    expect(await host.ok('unanchor', { surface_id: s })).toEqual({});
    pp.command('testMoveWindow', { window: w, x: 0, y: 0 });
    await pp.sync();
    expect(await host.ok('get_position', { surface_id: s })).toEqual({ x: 1095, y: 407 });
  });
  it('reports the moves, its own and following the target, and anchor_target_closed when the target goes', async () => {
    const w = await foreignWindow(100, 700, 300, 100);
    const s = await hud({ width: 20, height: 20 });
    const from = host.lines.length;
    await host.ok('anchor_to', { surface_id: s, target_hwnd: w, anchor: 'top_right' });
    expect(await host.event((e) => e.type === 'surface_moved' && e.surface_id === s, from)).toEqual({ type: 'surface_moved', surface_id: s, x: 400, y: 700 });
    // Following the target is a move too.
    const moved = host.lines.length;
    pp.command('testMoveWindow', { window: w, x: 150, y: 650 });
    expect(await host.event((e) => e.type === 'surface_moved' && e.surface_id === s, moved)).toEqual({ type: 'surface_moved', surface_id: s, x: 450, y: 650 });
    pp.command('testCloseWindow', { window: w });
    expect(await host.event((e) => e.type === 'anchor_target_closed', from)).toEqual({ type: 'anchor_target_closed', surface_id: s });
  });
  it('errors as winpane: missing target, bad anchor', async () => {
    const s = await hud();
    expectError(await host.call('anchor_to', { surface_id: s, anchor: 'top_left' }), -32602, 'missing or invalid target_hwnd (expected integer)');
    expectError(await host.call('anchor_to', { surface_id: s, target_hwnd: 1, anchor: 'center' }), -32602, /invalid anchor: center/);
    expectError(await host.call('unanchor', { surface_id: 'nope' }), -32602, 'unknown surface_id: nope');
  });
});

describe('set_position', () => {
  it('emits surface_moved after its answer, for every kind of surface', async () => {
    for (const create of [() => hud(), () => host.create('create_panel', { x: 5, y: 5, width: 20, height: 20 })]) {
      const s = await create();
      const from = host.lines.length;
      const reply = await host.call('set_position', { surface_id: s, x: 321, y: 123 });
      expect(reply.result).toEqual({});
      const ev = await host.lineAfter(from, (l) => l.method === 'event' && (l.params as { surface_id?: string }).surface_id === s);
      expect(ev.line.params).toEqual({ type: 'surface_moved', surface_id: s, x: 321, y: 123 });
      expect(ev.index).toBeGreaterThan(host.lines.indexOf(reply as never));
    }
  });
  it('needs integer x and y', async () => {
    const s = await hud();
    expectError(await host.call('set_position', { surface_id: s, x: 1.5, y: 2 }), -32602, 'missing or invalid x (expected integer)');
    expectError(await host.call('set_position', { surface_id: s, x: 1 }), -32602, 'missing or invalid y (expected integer)');
  });
});

describe('images', () => {
  it('set_image reads BMP as well as PNG and draws it', async () => {
    const s = await hud({ x: 700, y: 100, width: 20, height: 20 });
    expect(await host.ok('set_image', { surface_id: s, key: 'bmp', path: RED_BMP, x: 0, y: 0, width: 8, height: 6 })).toEqual({});
    expect(await host.ok('set_image', { surface_id: s, key: 'png', path: GREEN_PNG, x: 10, y: 10, width: 8, height: 8 })).toEqual({});
    const shot = await decodePng(Buffer.from((await host.ok('snapshot', { surface_id: s })).png_base64 as string, 'base64'));
    expect([...shot.at(3, 3)]).toEqual([255, 0, 0, 255]);
    expect([...shot.at(14, 14)]).toEqual([0, 255, 0, 255]);
  });
  it('create_tray and set_tray_icon read BMP icons', async () => {
    const t = await host.create('create_tray', { tooltip: 'bmp', icon_path: RED_BMP });
    expect(t).toMatch(/^t\d+$/);
    expect(await host.ok('set_tray_icon', { surface_id: t, icon_path: RED_BMP })).toEqual({});
    expect(await host.ok('set_tray_icon', { surface_id: t, icon_path: GREEN_PNG })).toEqual({});
  });
  it('a missing or undecodable file is -32602', async () => {
    const s = await hud();
    expectError(await host.call('set_image', { surface_id: s, key: 'i', path: path.join(dir, 'none.png'), x: 0, y: 0, width: 1, height: 1 }), -32602);
    const junk = path.join(dir, 'junk.bmp');
    fs.writeFileSync(junk, 'BMnot really');
    expectError(await host.call('set_image', { surface_id: s, key: 'i', path: junk, x: 0, y: 0, width: 1, height: 1 }), -32602);
    expectError(await host.call('create_tray', { tooltip: 'x', icon_path: junk }), -32602);
    const cut = path.join(dir, 'cut.bmp');
    fs.writeFileSync(cut, solidBmp(8, 6, [0, 0, 255]).subarray(0, 80));
    expectError(
      await host.call('set_image', { surface_id: s, key: 'i', path: cut, x: 0, y: 0, width: 1, height: 1 }),
      -32602,
      /shorter than its declared file size/,
    );
    expectError(await host.call('create_tray', {}), -32602, 'missing or invalid tooltip (expected string)');
  });
});

describe('backdrops', () => {
  it('set_backdrop where unsupported is a silent no-op; backdrop_supported says false', async () => {
    expect(await host.ok('backdrop_supported')).toEqual({ supported: false });
    const s = await hud();
    for (const backdrop of ['mica', 'acrylic', 'none']) expect(await host.ok('set_backdrop', { surface_id: s, backdrop })).toEqual({});
    expectError(await host.call('set_backdrop', { surface_id: s, backdrop: 'glass' }), -32602, 'invalid backdrop: glass (expected none, mica, acrylic)');
  });
});

describe('JSON-RPC ids', () => {
  it.each([[{ a: 1 }], [true], [[1, 'x']], ['str'], [7.5], [null]])('echoes id %j', async (id) => {
    const reply = await host.call('backdrop_supported', {}, id);
    expect(reply).toEqual({ jsonrpc: '2.0', result: { supported: false }, id });
  });
  it('echoes any id on errors too', async () => {
    expect(await host.call('no_such', {}, { k: [1] })).toEqual({ jsonrpc: '2.0', error: { code: -32601, message: 'unknown method: no_such' }, id: { k: [1] } });
    const from = host.lines.length;
    host.send('{"jsonrpc":"1.0","method":"show","id":[2]}');
    expect((await host.lineAfter(from, (l) => 'id' in l)).line).toMatchObject({ error: { code: -32600 }, id: [2] });
  });
});

describe('every method, and its errors', () => {
  it("scene methods on a HUD; PiPs refuse them with winpane's message", async () => {
    const s = await hud();
    expect(
      await host.ok('set_text', {
        surface_id: s,
        key: 'a',
        text: 'x',
        x: 0,
        y: 0,
        font_size: 10,
        color: '#ff0000',
        bold: true,
        italic: true,
        font_family: 'sans-serif',
      }),
    ).toEqual({});
    expect(await host.ok('set_rect', { surface_id: s, key: 'b', x: 0, y: 0, width: 5, height: 5, fill: '0f0' })).toEqual({});
    expect(await host.ok('remove_element', { surface_id: s, key: 'b' })).toEqual({});
    expectError(await host.call('set_text', { surface_id: s, key: 'a', x: 0, y: 0, font_size: 10 }), -32602, 'missing or invalid text (expected string)');
    expectError(await host.call('set_text', { surface_id: s, text: 'x', x: 0, y: 0, font_size: 10 }), -32602, 'missing or invalid key (expected string)');
    expectError(await host.call('set_rect', { surface_id: s, key: 'b', x: 0, y: 0, width: 5, height: 5, fill: '#12345' }), -32602, /invalid hex color length/);
    expectError(await host.call('set_text', { key: 'a', text: 'x', x: 0, y: 0, font_size: 1 }), -32602, 'missing or invalid surface_id (expected string)');
    const w = await foreignWindow(10, 10, 100, 100);
    const pip = await host.create('create_pip', { source_hwnd: w, x: 900, y: 900, width: 50, height: 50 });
    for (const method of ['set_text', 'set_rect', 'set_image', 'remove_element']) {
      expectError(
        await host.call(method, { surface_id: pip, key: 'k', text: 't', path: GREEN_PNG, x: 0, y: 0, width: 1, height: 1, font_size: 9 }),
        -32602,
        `${method} not supported on PiP surfaces`,
      );
    }
  });
  it('surface control on every kind; unknown ids', async () => {
    const w = await foreignWindow(10, 10, 100, 100);
    const ids = [
      await hud(),
      await host.create('create_panel', { x: 0, y: 0, width: 10, height: 10, draggable: true, drag_height: 4 }),
      await host.create('create_pip', { source_hwnd: w, x: 0, y: 0, width: 10, height: 10 }),
    ];
    for (const s of ids) {
      for (const [method, params] of [
        ['show', {}],
        ['hide', {}],
        ['set_size', { width: 30, height: 20 }],
        ['set_opacity', { opacity: 0.5 }],
        ['fade_in', { duration_ms: 10 }],
        ['fade_out', { duration_ms: 10 }],
        ['set_capture_excluded', { excluded: false }],
        ['unanchor', {}],
      ] as const) {
        expect(await host.call(method, { surface_id: s, ...params })).toMatchObject({ result: {} });
      }
      expectError(await host.call('set_capture_excluded', { surface_id: s }), -32602, 'missing or invalid excluded (expected boolean)');
    }
    for (const method of ['show', 'hide', 'set_opacity', 'get_position', 'destroy']) {
      expectError(await host.call(method, { surface_id: 's9999', opacity: 1 }), -32602, 'unknown surface_id: s9999');
    }
  });
  it('pip source regions, pip_source_closed; non-pips refuse regions; a missing source cannot be created', async () => {
    const w = await foreignWindow(50, 50, 200, 200, '#ff00ff');
    const pip = await host.create('create_pip', { source_hwnd: w, placement: { position: { x: 1000, y: 50 } }, width: 40, height: 40 });
    expect(await host.ok('set_source_region', { surface_id: pip, x: 0, y: 0, width: 20, height: 20 })).toEqual({});
    expect(await host.ok('set_source_region', { surface_id: pip, x: 0, y: 0, width: -20, height: 20 })).toEqual({});
    expect(await host.ok('clear_source_region', { surface_id: pip })).toEqual({});
    const s = await hud();
    expectError(
      await host.call('set_source_region', { surface_id: s, x: 0, y: 0, width: 1, height: 1 }),
      -32602,
      'set_source_region only supported on PiP surfaces',
    );
    expectError(await host.call('clear_source_region', { surface_id: s }), -32602, 'clear_source_region only supported on PiP surfaces');
    expectError(await host.call('create_pip', { x: 0, y: 0, width: 1, height: 1 }), -32602, 'missing or invalid source_hwnd (expected integer)');
    expectError(await host.call('create_pip', { source_hwnd: 55555555, x: 0, y: 0, width: 1, height: 1 }), -32603, /^create_pip failed: /);
    const from = host.lines.length;
    pp.command('testCloseWindow', { window: w });
    expect(await host.event((e) => e.type === 'pip_source_closed', from)).toEqual({ type: 'pip_source_closed', surface_id: pip });
  });
  it('trays: tooltip, icon, popup, menu, destroy; surfaces are not trays', async () => {
    const t = await host.create('create_tray', { tooltip: 'tray' });
    const panel = await host.create('create_panel', { x: 0, y: 0, width: 10, height: 10 });
    const h = await hud();
    expect(await host.ok('set_tooltip', { surface_id: t, tooltip: 'new' })).toEqual({});
    expect(await host.ok('set_popup', { surface_id: t, panel_surface_id: panel })).toEqual({});
    expectError(await host.call('set_popup', { surface_id: t, panel_surface_id: h }), -32602, `${h} is not a Panel`);
    expect(
      await host.ok('set_menu', {
        surface_id: t,
        items: [
          { id: 1, label: 'One' },
          { id: 2, label: 'Two', enabled: false },
        ],
      }),
    ).toEqual({});
    expectError(await host.call('set_menu', { surface_id: t, items: [{ id: -1, label: 'x' }] }), -32602, 'missing or invalid id (expected unsigned integer)');
    expectError(await host.call('set_menu', { surface_id: t }), -32602);
    expectError(await host.call('set_tooltip', { surface_id: h, tooltip: 'x' }), -32602, `unknown surface_id: ${h}`);
    expectError(await host.call('show', { surface_id: t }), -32602, `unknown surface_id: ${t}`);
    expect(await host.ok('destroy', { surface_id: t })).toEqual({});
    expectError(await host.call('destroy', { surface_id: t }), -32602, `unknown surface_id: ${t}`);
  });
  it('ids count on after destroy and are never reused', async () => {
    const a = await hud();
    await host.ok('destroy', { surface_id: a });
    const b = await hud();
    expect(Number(b.slice(1))).toBe(Number(a.slice(1)) + 1);
  });
});
