/** The host's pieces on their own: line parsing, ids, event translation, parameter reading. */
import { translateEvent } from '../../cli/host/events';
import { HostIds } from '../../cli/host/ids';
import { parseLine } from '../../cli/host/jsonrpc';
import { Params, color, placement } from '../../cli/host/methods';

const err = (line: string) => {
  const p = parseLine(line);
  if (p.ok) throw new Error('expected an error');
  return JSON.parse(p.response) as { error: { code: number }; id: unknown };
};

describe('parseLine', () => {
  it('accepts requests and notifications; params default to {}', () => {
    expect(parseLine('{"jsonrpc":"2.0","method":"show","params":{"surface_id":"s1"},"id":1}')).toEqual({
      ok: true,
      request: { id: 1, method: 'show', params: { surface_id: 's1' } },
    });
    expect(parseLine('{"jsonrpc":"2.0","method":"destroy","id":"x"}')).toEqual({ ok: true, request: { id: 'x', method: 'destroy', params: {} } });
    expect(parseLine('{"jsonrpc":"2.0","method":"hide"}')).toEqual({ ok: true, request: { method: 'hide', params: {} } });
  });
  it('maps bad lines to the standard codes', () => {
    expect(err('nope')).toMatchObject({ error: { code: -32700 }, id: null });
    expect(err('{"jsonrpc":"1.0","method":"x","id":3}')).toMatchObject({ error: { code: -32600 }, id: 3 });
    expect(err('{"jsonrpc":"2.0","id":4}')).toMatchObject({ error: { code: -32600 }, id: 4 });
    expect(err('{"jsonrpc":"2.0","method":7,"id":5}')).toMatchObject({ error: { code: -32600 }, id: 5 });
    expect(err('{"jsonrpc":"1.0","method":"x","id":{}}')).toMatchObject({ error: { code: -32600 }, id: {} });
    expect(err('[]')).toMatchObject({ error: { code: -32600 } });
    expect(err('42')).toMatchObject({ error: { code: -32600 } });
  });
});

describe('HostIds', () => {
  it('numbers surfaces and trays separately, independent of engine ids, never reusing', () => {
    const ids = new HostIds();
    expect(ids.add('s7', 'hud').hostId).toBe('s1');
    expect(ids.add('t3', 'tray').hostId).toBe('t1');
    expect(ids.add('s9', 'panel').hostId).toBe('s2');
    ids.remove('s1');
    expect(ids.add('s10', 'pip').hostId).toBe('s3');
    expect(ids.fromEngine('s9')?.hostId).toBe('s2');
    expect(ids.get('s1')).toBeUndefined();
  });
});

describe('translateEvent', () => {
  const ids = new HostIds();
  ids.add('s5', 'panel');
  ids.add('t2', 'tray');
  it('speaks winpane event names and fields, adding tray_id', () => {
    expect(translateEvent({ type: 'elementClicked', surface: 's5', key: 'b', button: 'left', x: 1, y: 2 }, ids, false)).toEqual({
      type: 'element_clicked',
      surface_id: 's1',
      key: 'b',
    });
    expect(translateEvent({ type: 'surfaceMoved', surface: 's5', x: 3, y: 4 }, ids, false)).toEqual({ type: 'surface_moved', surface_id: 's1', x: 3, y: 4 });
    expect(translateEvent({ type: 'trayClicked', tray: 't2', button: 'right', double: false }, ids, false)).toEqual({
      type: 'tray_clicked',
      button: 'right',
      tray_id: 't1',
    });
    expect(translateEvent({ type: 'trayMenuItemClicked', tray: 't2', itemId: '12' }, ids, false)).toEqual({
      type: 'tray_menu_item_clicked',
      item_id: 12,
      tray_id: 't1',
    });
    expect(translateEvent({ type: 'anchorTargetClosed', surface: 's5' }, ids, false)).toEqual({ type: 'anchor_target_closed', surface_id: 's1' });
  });
  it('sends panepipe-only events only when extended events are on', () => {
    const fade = { type: 'fadeCompleted', surface: 's5', direction: 'in' } as const;
    expect(translateEvent(fade, ids, false)).toBeNull();
    expect(translateEvent(fade, ids, true)).toEqual({ type: 'fade_completed', surface_id: 's1', direction: 'in' });
  });
  it('drops events of surfaces it does not know', () => {
    expect(translateEvent({ type: 'elementHovered', surface: 's99', key: 'k' }, ids, false)).toBeNull();
  });
});

describe('parameters the winpane-host way', () => {
  it('placement: position, monitor (margin 20), or top-level x/y', () => {
    expect(placement(new Params({ placement: { position: { x: 1, y: 2 } } }))).toEqual({ x: 1, y: 2 });
    expect(placement(new Params({ placement: { monitor: { index: 1, anchor: 'bottom_right' } } }))).toEqual({
      monitor: 1,
      anchor: 'bottomRight',
      margin: 20,
      area: 'monitor',
    });
    expect(placement(new Params({ x: 5, y: 6 }))).toEqual({ x: 5, y: 6 });
    expect(() => placement(new Params({}))).toThrow('missing or invalid x (expected integer)');
    expect(() => placement(new Params({ x: 1.5, y: 0 }))).toThrow('missing or invalid x');
    expect(() => placement(new Params({ placement: { monitor: { index: 0, anchor: 'middle' } } }))).toThrow(/invalid anchor/);
  });
  it('colors: #rgb, #rrggbb, #rrggbbaa, # optional', () => {
    const c = (v: unknown) => color(new Params({ c: v }), 'c');
    expect(c('f0a')).toBe('#f0a');
    expect(c('#1a2b3c80')).toBe('#1a2b3c80');
    expect(c(undefined)).toBeUndefined();
    expect(() => c('#12345')).toThrow(/length/);
    expect(() => c('#xyz')).toThrow(/invalid hex color/);
    expect(() => c(5)).toThrow(/hex color string/);
  });
  it('optional params of the wrong type fall back to their defaults', () => {
    const p = new Params({ bold: 'yes', n: -1 });
    expect(p.opt('bold', 'boolean')).toBeUndefined();
    expect(p.opt('n', 'unsigned integer')).toBeUndefined();
    expect(() => p.req('n', 'unsigned integer')).toThrow('missing or invalid n (expected unsigned integer)');
  });
});
