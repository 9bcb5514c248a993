import { z } from 'zod';
import type { Client } from '../../client';
import { AppBatchEntry } from '../../client/appOptions';
import { LIMITS, OpFields, type Anchor, type Placement } from '../../protocol';
import { camelKeys, snakeKeys } from './events';
import type { HostIds, HostKind, HostSurface } from './ids';
import { INTERNAL_ERROR, INVALID_PARAMS, RpcError, invalidParams } from './jsonrpc';

/**
 * winpane-host's methods, mapped onto engine commands.
 *
 * Parameters are read the way winpane-host reads them: a required parameter
 * that is missing or of the wrong JSON type is `-32602 missing or invalid
 * <name> (expected <type>)`; an optional one of the wrong type is ignored and
 * its default used; unknown parameters are ignored. Checks run in winpane's
 * order (surface_id, key, the surface itself, then the rest).
 */

export interface HostState {
  client: Client;
  ids: HostIds;
  /** Send panepipe-only events too (see `extended_events`). */
  extended: boolean;
}

/**
 * What a state method asks for: engine commands, and what to do once they
 * applied. Image files stay paths here: the client library reads them, in
 * this process and relative to its working directory.
 */
export interface Plan {
  commands: AppBatchEntry[];
  after?: () => void;
  /** Surfaces these commands move: each gets winpane's `surface_moved` once they applied. */
  moves?: HostSurface[];
  /** An engine refusal with this code is not an error: these commands run instead and the answer is `{}`. */
  ifRefused?: { code: string; commands: AppBatchEntry[] };
}

export type StateMethod = (state: HostState, params: Params) => Plan;
export type QueryMethod = (state: HostState, params: Params) => Promise<unknown>;

// ---- parameter reading -------------------------------------------------------

const kinds = {
  integer: z
    .number()
    .int()
    .min(-(2 ** 53))
    .max(2 ** 53),
  'unsigned integer': z
    .number()
    .int()
    .min(0)
    .max(2 ** 53),
  number: z.number(),
  string: z.string(),
  boolean: z.boolean(),
  array: z.array(z.unknown()),
} as const;
type Kind = keyof typeof kinds;
type KindType<K extends Kind> = z.infer<(typeof kinds)[K]>;

/** A JSON object of parameters, read with winpane-host's rules. */
export class Params {
  private readonly obj: Record<string, unknown>;
  constructor(value: unknown) {
    this.obj = value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  }
  has(key: string): boolean {
    return this.obj[key] !== undefined && this.obj[key] !== null;
  }
  raw(key: string): unknown {
    return this.obj[key];
  }
  req<K extends Kind>(key: string, kind: K): KindType<K> {
    const r = kinds[kind].safeParse(this.obj[key]);
    if (!r.success) throw invalidParams(`missing or invalid ${key} (expected ${kind})`);
    return r.data as KindType<K>;
  }
  opt<K extends Kind>(key: string, kind: K): KindType<K> | undefined {
    const r = kinds[kind].safeParse(this.obj[key]);
    return r.success ? (r.data as KindType<K>) : undefined;
  }
  sub(key: string): Params | undefined {
    const v = this.obj[key];
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? new Params(v) : undefined;
  }
}

const ANCHORS: Record<string, Anchor> = { top_left: 'topLeft', top_right: 'topRight', bottom_left: 'bottomLeft', bottom_right: 'bottomRight' };

function anchor(s: string): Anchor {
  const a = ANCHORS[s];
  if (!a) throw invalidParams(`invalid anchor: ${s} (expected top_left, top_right, bottom_left, bottom_right)`);
  return a;
}

/**
 * `{position:{x,y}}`, `{monitor:{index,anchor,margin=20}}`, or top-level x/y
 * when neither is given. A monitor placement is on the monitor's full
 * rectangle, as winpane places; an index past the last monitor is left for
 * the caller to map to monitor 0 (it needs the monitor list).
 */
export function placement(p: Params): Placement {
  const pl = p.sub('placement');
  const pos = pl?.sub('position');
  if (pos) return { x: coord(pos, 'x', 'integer'), y: coord(pos, 'y', 'integer') };
  const mon = pl?.sub('monitor');
  if (mon) {
    const index = mon.req('index', 'unsigned integer');
    const a = anchor(mon.req('anchor', 'string'));
    return { monitor: index, anchor: a, margin: clamp(mon.opt('margin', 'unsigned integer') ?? 20, 0, COORD_LIMIT), area: 'monitor' };
  }
  return { x: coord(p, 'x', 'integer'), y: coord(p, 'y', 'integer') };
}

/** winpane colors: #rgb, #rrggbb, #rrggbbaa, the # optional. */
export function color(p: Params, key: string): string | undefined {
  const v = p.raw(key);
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw invalidParams(`${key} must be a hex color string`);
  const hex = v.startsWith('#') ? v.slice(1) : v;
  if (![3, 6, 8].includes(hex.length)) throw invalidParams(`invalid hex color length: ${v}`);
  if (!/^[0-9a-fA-F]+$/.test(hex)) throw invalidParams(`invalid hex color: ${v}`);
  return `#${hex}`;
}

function surfaceOf(state: HostState, p: Params, kinds: HostKind[] = ['hud', 'panel', 'pip']): HostSurface {
  const id = p.req('surface_id', 'string');
  const s = state.ids.get(id);
  if (!s || !kinds.includes(s.kind)) throw invalidParams(`unknown surface_id: ${id}`);
  return s;
}

/** A surface with a scene (HUD or panel); winpane refuses PiPs with its own message. */
function sceneOf(state: HostState, p: Params, method: string): { s: HostSurface; key: string } {
  p.req('surface_id', 'string');
  const key = p.req('key', 'string');
  const s = surfaceOf(state, p);
  if (s.kind === 'pip') throw invalidParams(`${method} not supported on PiP surfaces`);
  return { s, key };
}

/** `interactive` only where it means something: a HUD is click-through (winpane ignores it there; the engine refuses it). */
const interactive = (s: HostSurface, p: Params): { interactive?: boolean } =>
  s.kind === 'panel' ? { interactive: p.opt('interactive', 'boolean') ?? false } : {};

const clamp = (v: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, v));

// winpane takes any 32-bit value; the engine's ranges are narrower. Values
// beyond them are clamped to what the engine shows the same way (a surface
// a million pixels off screen is as invisible as one a billion away).
const COORD_LIMIT = 1e6;
/** A required coordinate, clamped into the engine's range. */
const coord = (p: Params, key: string, kind: 'integer' | 'number' = 'number'): number => clamp(p.req(key, kind), -COORD_LIMIT, COORD_LIMIT);
/** A required length (negative draws nothing, as zero does). */
const length = (p: Params, key: string, kind: 'integer' | 'number' = 'number'): number => clamp(p.req(key, kind), 0, COORD_LIMIT);
/** An optional length, clamped, or its default. */
const optLength = (p: Params, key: string, fallback: number): number => clamp(p.opt(key, 'number') ?? fallback, 0, COORD_LIMIT);
/** A surface side: a window of 0 pixels shows as little as one of 1; the engine's side limit caps it. */
const side = (p: Params, key: string): number => clamp(p.req(key, 'unsigned integer'), 1, LIMITS.maxSurfaceSide);

/** winpane draws nothing for a font size under 1 (its text layout refuses it); the engine gets an empty text then. */
const MIN_FONT = 1;
const MAX_FONT = 1000;

/** x, y, width, height of an element, in winpane's order, clamped. */
const box = (p: Params) => ({ x: coord(p, 'x'), y: coord(p, 'y'), width: length(p, 'width'), height: length(p, 'height') });

/** A default tray icon like winpane-host's: 16×16 opaque white. */
const WHITE_ICON = { rgba: new Uint8Array(16 * 16 * 4).fill(255), width: 16, height: 16 };

// ---- state methods: answered once the engine applied them ------------------------

const one = (s: HostSurface, op: AppBatchEntry['op']) => ({ commands: [{ op, surface: s.engineId } as AppBatchEntry] });

export const STATE_METHODS: Record<string, StateMethod> = {
  set_text(state, p) {
    const { s, key } = sceneOf(state, p, 'set_text');
    const c = color(p, 'color') ?? '#ffffff';
    const given = p.req('text', 'string');
    const x = coord(p, 'x');
    const y = coord(p, 'y');
    const size = p.req('font_size', 'number');
    const text = size < MIN_FONT ? '' : given;
    const fontSize = clamp(size, MIN_FONT, MAX_FONT);
    const fontFamily = p.opt('font_family', 'string');
    return {
      commands: [
        {
          op: 'setText',
          surface: s.engineId,
          key,
          text,
          x,
          y,
          fontSize,
          color: c,
          ...(fontFamily !== undefined ? { fontFamily } : {}),
          fontWeight: p.opt('bold', 'boolean') ? 'bold' : 'normal',
          fontStyle: p.opt('italic', 'boolean') ? 'italic' : 'normal',
          ...interactive(s, p),
        },
      ],
    };
  },
  set_rect(state, p) {
    const { s, key } = sceneOf(state, p, 'set_rect');
    const fill = color(p, 'fill') ?? '#ffffff';
    const borderColor = color(p, 'border_color');
    return {
      commands: [
        {
          op: 'setRect',
          surface: s.engineId,
          key,
          ...box(p),
          fill,
          cornerRadius: optLength(p, 'corner_radius', 0),
          ...(borderColor ? { borderColor, borderWidth: optLength(p, 'border_width', 0) } : {}),
          ...interactive(s, p),
        },
      ],
    };
  },
  set_image(state, p) {
    const { s, key } = sceneOf(state, p, 'set_image');
    const file = p.req('path', 'string');
    return {
      commands: [
        {
          op: 'setImage',
          surface: s.engineId,
          key,
          path: file,
          ...box(p),
          ...interactive(s, p),
        },
      ],
    };
  },
  remove_element(state, p) {
    const { s, key } = sceneOf(state, p, 'remove_element');
    return { commands: [{ op: 'removeElement', surface: s.engineId, key }] };
  },
  show: (state, p) => one(surfaceOf(state, p), 'show'),
  hide: (state, p) => one(surfaceOf(state, p), 'hide'),
  set_position(state, p) {
    const s = surfaceOf(state, p);
    return { commands: [{ op: 'setPosition', surface: s.engineId, x: coord(p, 'x', 'integer'), y: coord(p, 'y', 'integer') }], moves: [s] };
  },
  set_size(state, p) {
    const s = surfaceOf(state, p);
    return { commands: [{ op: 'setSize', surface: s.engineId, width: side(p, 'width'), height: side(p, 'height') }] };
  },
  set_opacity(state, p) {
    const s = surfaceOf(state, p);
    return { commands: [{ op: 'setOpacity', surface: s.engineId, opacity: clamp(p.req('opacity', 'number'), 0, 1) }] };
  },
  set_capture_excluded(state, p) {
    const s = surfaceOf(state, p);
    return { commands: [{ op: 'setCaptureExcluded', surface: s.engineId, excluded: p.req('excluded', 'boolean') }] };
  },
  fade_in(state, p) {
    const s = surfaceOf(state, p);
    return { commands: [{ op: 'fadeIn', surface: s.engineId, durationMs: Math.min(p.req('duration_ms', 'unsigned integer'), 60_000) }] };
  },
  fade_out(state, p) {
    const s = surfaceOf(state, p);
    return { commands: [{ op: 'fadeOut', surface: s.engineId, durationMs: Math.min(p.req('duration_ms', 'unsigned integer'), 60_000) }] };
  },
  set_backdrop(state, p) {
    const s = surfaceOf(state, p);
    const b = p.req('backdrop', 'string');
    if (b !== 'none' && b !== 'mica' && b !== 'acrylic') throw invalidParams(`invalid backdrop: ${b} (expected none, mica, acrylic)`);
    // winpane ignores a backdrop the system cannot show (backdrop_supported says so).
    if (!state.client.capabilities.backdrops.includes(b)) return { commands: [] };
    return { commands: [{ op: 'setBackdrop', surface: s.engineId, backdrop: b }] };
  },
  anchor_to(state, p) {
    const s = surfaceOf(state, p);
    const target = p.req('target_hwnd', 'integer');
    const a = anchor(p.req('anchor', 'string'));
    // winpane accepts any window; one that does not exist only ends the previous anchoring.
    const unanchor: AppBatchEntry[] = [{ op: 'unanchor', surface: s.engineId }];
    if (target < 1) return { commands: unanchor };
    const offset = (key: string) => clamp(p.opt(key, 'integer') ?? 0, -COORD_LIMIT, COORD_LIMIT);
    return {
      // winpane's geometry: the surface's top-left on the target's corner.
      commands: [
        {
          op: 'anchorTo',
          surface: s.engineId,
          target,
          anchor: a,
          offsetX: offset('offset_x'),
          offsetY: offset('offset_y'),
          surfaceCorner: 'topLeft',
          reportMoves: true,
        },
      ],
      moves: [s],
      ifRefused: { code: 'unknownWindow', commands: unanchor },
    };
  },
  unanchor: (state, p) => one(surfaceOf(state, p), 'unanchor'),
  set_source_region(state, p) {
    const s = surfaceOf(state, p);
    const region = { x: coord(p, 'x', 'integer'), y: coord(p, 'y', 'integer'), width: length(p, 'width', 'integer'), height: length(p, 'height', 'integer') };
    if (s.kind !== 'pip') throw invalidParams('set_source_region only supported on PiP surfaces');
    return { commands: [{ op: 'setSourceRegion', surface: s.engineId, ...region }] };
  },
  clear_source_region(state, p) {
    const s = surfaceOf(state, p);
    if (s.kind !== 'pip') throw invalidParams('clear_source_region only supported on PiP surfaces');
    return one(s, 'clearSourceRegion');
  },
  set_tooltip(state, p) {
    const t = surfaceOf(state, p, ['tray']);
    return { commands: [{ op: 'setTooltip', surface: t.engineId, tooltip: p.req('tooltip', 'string') }] };
  },
  set_tray_icon(state, p) {
    const t = surfaceOf(state, p, ['tray']);
    return { commands: [{ op: 'setTrayIcon', surface: t.engineId, icon: { path: p.req('icon_path', 'string') } }] };
  },
  set_popup(state, p) {
    p.req('surface_id', 'string');
    const panelId = p.req('panel_surface_id', 'string');
    const panel = state.ids.get(panelId);
    if (!panel || panel.kind === 'tray') throw invalidParams(`unknown surface_id: ${panelId}`);
    if (panel.kind !== 'panel') throw invalidParams(`${panelId} is not a Panel`);
    const t = surfaceOf(state, p, ['tray']);
    return { commands: [{ op: 'setPopup', surface: t.engineId, panel: panel.engineId }] };
  },
  set_menu(state, p) {
    const t = surfaceOf(state, p, ['tray']);
    if (!p.has('items')) throw invalidParams('missing items (expected array)');
    const items = p.opt('items', 'array');
    if (!items) throw invalidParams('items must be an array');
    const menu = items.map((raw) => {
      const item = new Params(raw);
      return { id: String(item.req('id', 'unsigned integer')), label: item.req('label', 'string'), enabled: item.opt('enabled', 'boolean') ?? true };
    });
    return { commands: [{ op: 'setMenu', surface: t.engineId, items: menu }] };
  },
  destroy(state, p) {
    const id = p.req('surface_id', 'string');
    const s = state.ids.get(id);
    if (!s) throw invalidParams(`unknown surface_id: ${id}`);
    return { commands: [{ op: 'destroy', surface: s.engineId }], after: () => state.ids.remove(id) };
  },

  // ---- panepipe extensions (not in winpane-host) ----
  /** Vector drawing: `ops` are the draw ops of docs/protocol.md (snake_case keys are accepted too). */
  set_draw(state, p) {
    const { s, key } = sceneOf(state, p, 'set_draw');
    const ops = p.req('ops', 'array');
    const box: Record<string, number> = {};
    for (const k of ['x', 'y', 'width', 'height'] as const) {
      const v = p.opt(k, 'number');
      if (v !== undefined) box[k] = v;
    }
    return { commands: [{ op: 'setDraw', surface: s.engineId, key, ...box, ops: camelKeys(ops) as never, ...interactive(s, p) }] };
  },
  clear_elements(state, p) {
    const s = surfaceOf(state, p);
    if (s.kind === 'pip') throw invalidParams('clear_elements not supported on PiP surfaces');
    return one(s, 'clearElements');
  },
  /** Several state methods applied together in one frame, all or none: `{requests:[{method, params}]}`. */
  batch(state, p) {
    const requests = p.req('requests', 'array');
    if (requests.length === 0) throw invalidParams('requests must not be empty');
    const plans = requests.map((raw, i) => {
      const r = new Params(raw);
      const method = r.req('method', 'string');
      const fn = STATE_METHODS[method];
      if (!fn || method === 'batch') throw invalidParams(`requests[${i}]: method ${method} cannot be batched`);
      try {
        return fn(state, new Params(r.raw('params') ?? {}));
      } catch (err) {
        if (err instanceof RpcError) throw new RpcError(err.code, `requests[${i}] (${method}): ${err.message}`);
        throw err;
      }
    });
    const after = plans.map((pl) => pl.after).filter((f): f is () => void => !!f);
    return {
      commands: plans.flatMap((pl) => pl.commands),
      after: () => {
        for (const f of after) f();
      },
      moves: plans.flatMap((pl) => pl.moves ?? []),
    };
  },
};

// ---- methods that create or ask ---------------------------------------------------

/** Engine errors of a create become -32603, as winpane-host reports a failed create. */
async function create<T extends { id: string }>(method: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    throw new RpcError(INTERNAL_ERROR, `${method} failed: ${(err as Error).message}`);
  }
}

async function createCommon(state: HostState, p: Params) {
  const pl = placement(p);
  const width = side(p, 'width');
  const height = side(p, 'height');
  const positionKey = p.opt('position_key', 'string');
  // winpane places on monitor 0 when the index names no monitor.
  if ('monitor' in pl && pl.monitor !== undefined && pl.monitor >= (await state.client.monitors()).length) pl.monitor = 0;
  return { placement: pl, width, height, ...(positionKey ? { positionKey } : {}) };
}

export const QUERY_METHODS: Record<string, QueryMethod> = {
  async create_hud(state, p) {
    const fields = await createCommon(state, p);
    const hud = await create('create_hud', () => state.client.createHud(fields));
    return { surface_id: state.ids.add(hud.id, 'hud').hostId };
  },
  async create_panel(state, p) {
    const fields = {
      ...(await createCommon(state, p)),
      draggable: p.opt('draggable', 'boolean') ?? false,
      dragHeight: clamp(p.opt('drag_height', 'unsigned integer') ?? 0, 0, COORD_LIMIT),
    };
    const panel = await create('create_panel', () => state.client.createPanel(fields));
    return { surface_id: state.ids.add(panel.id, 'panel').hostId };
  },
  async create_pip(state, p) {
    const sourceWindow = p.req('source_hwnd', 'integer');
    const fields = { ...(await createCommon(state, p)), sourceWindow };
    const pip = await create('create_pip', () => state.client.createPip(fields));
    return { surface_id: state.ids.add(pip.id, 'pip').hostId };
  },
  async create_tray(state, p) {
    const tooltip = p.req('tooltip', 'string');
    const iconPath = p.opt('icon_path', 'string');
    const icon = iconPath !== undefined ? { path: iconPath } : WHITE_ICON;
    let tray;
    try {
      tray = await state.client.createTray({ tooltip, icon });
    } catch (err) {
      // winpane-host loads the icon itself and calls a bad file invalid params.
      const code = ['imageError', 'limitExceeded'].includes((err as { code?: string }).code ?? '') ? INVALID_PARAMS : INTERNAL_ERROR;
      throw new RpcError(code, `create_tray failed: ${(err as Error).message}`);
    }
    return { surface_id: state.ids.add(tray.id, 'tray').hostId };
  },
  async get_position(state, p) {
    const s = surfaceOf(state, p);
    try {
      const r = await state.client.request('getPosition', { surface: s.engineId });
      return { x: Math.round(r.x), y: Math.round(r.y) };
    } catch (err) {
      throw new RpcError(INTERNAL_ERROR, `get_position failed: ${(err as Error).message}`);
    }
  },
  async backdrop_supported(state) {
    return { supported: (await state.client.queryCapabilities()).backdrop };
  },

  // ---- panepipe extensions ----
  async measure_text(state, p) {
    const text = p.req('text', 'string');
    const fields = OpFields.measureText.safeParse({
      text,
      fontSize: p.opt('font_size', 'number') ?? 14,
      ...(p.opt('font_family', 'string') !== undefined ? { fontFamily: p.opt('font_family', 'string') } : {}),
      fontWeight: p.opt('bold', 'boolean') ? 'bold' : 'normal',
      fontStyle: p.opt('italic', 'boolean') ? 'italic' : 'normal',
      ...(p.opt('wrap_width', 'number') !== undefined ? { wrapWidth: p.opt('wrap_width', 'number') } : {}),
    });
    if (!fields.success) throw invalidParams(`measure_text: ${fields.error.issues[0]?.message ?? 'invalid'}`);
    return state.client.measureText(fields.data);
  },
  async monitors(state) {
    return { monitors: snakeKeys(await state.client.monitors()) };
  },
  async capabilities(state) {
    return snakeKeys(await state.client.queryCapabilities());
  },
  async snapshot(state, p) {
    const s = surfaceOf(state, p);
    const shot = await state.client.request('snapshot', { surface: s.engineId });
    return { width: shot.width, height: shot.height, png_base64: Buffer.from(shot.png).toString('base64') };
  },
  async extended_events(state, p) {
    state.extended = p.req('enabled', 'boolean');
    return {};
  },
};

/** Check planned commands against the protocol before they leave, so bad values are -32602 here. */
export function validatePlan(method: string, plan: Plan): void {
  for (const c of plan.commands) {
    const r = AppBatchEntry.safeParse(c);
    if (!r.success) {
      const issue = r.error.issues[0];
      // Name the field the JSON-RPC way (fontSize -> font_size).
      const where = issue ? issue.path.map((k) => String(k).replace(/[A-Z]/g, (ch) => `_${ch.toLowerCase()}`)).join('.') : '';
      throw invalidParams(`${method}: ${where ? `${where}: ` : ''}${issue?.message ?? 'invalid'}`);
    }
  }
}

export const METHOD_NAMES = [...Object.keys(QUERY_METHODS), ...Object.keys(STATE_METHODS)];
