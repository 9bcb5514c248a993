import type { PanepipeEvent } from '../../client';
import type { HostIds } from './ids';

export type EventParams = Record<string, unknown> & { type: string };

/**
 * Translate an engine event into the `params` of a winpane-host `event`
 * notification, or null when nothing is to be sent.
 *
 * winpane's own events keep their names and fields; panepipe adds only
 * `tray_id` to the two tray events (winpane's cannot tell trays apart).
 * Events winpane does not have are sent only after `extended_events`
 * turned them on, under their own snake_case names.
 */
export function translateEvent(ev: PanepipeEvent, ids: HostIds, extended: boolean): EventParams | null {
  const sid = (engineId: string): string | undefined => ids.fromEngine(engineId)?.hostId;
  switch (ev.type) {
    case 'elementClicked':
    case 'elementHovered':
    case 'elementLeft': {
      const surface_id = sid(ev.surface);
      if (!surface_id) return null;
      const type = { elementClicked: 'element_clicked', elementHovered: 'element_hovered', elementLeft: 'element_left' }[ev.type];
      return { type, surface_id, key: ev.key };
    }
    case 'surfaceMoved': {
      const surface_id = sid(ev.surface);
      return surface_id ? { type: 'surface_moved', surface_id, x: ev.x, y: ev.y } : null;
    }
    case 'pipSourceClosed':
    case 'anchorTargetClosed': {
      const surface_id = sid(ev.surface);
      if (!surface_id) return null;
      return { type: ev.type === 'pipSourceClosed' ? 'pip_source_closed' : 'anchor_target_closed', surface_id };
    }
    case 'trayClicked': {
      const tray_id = sid(ev.tray);
      return tray_id ? { type: 'tray_clicked', button: ev.button, tray_id } : null;
    }
    case 'trayMenuItemClicked': {
      const tray_id = sid(ev.tray);
      if (!tray_id) return null;
      // winpane menu item ids are unsigned integers; the host sent them to the engine as strings.
      const n = Number(ev.itemId);
      return { type: 'tray_menu_item_clicked', item_id: /^\d+$/.test(ev.itemId) ? n : ev.itemId, tray_id };
    }
    default:
      break;
  }
  if (!extended) return null;
  switch (ev.type) {
    case 'fadeCompleted': {
      const surface_id = sid(ev.surface);
      return surface_id ? { type: 'fade_completed', surface_id, direction: ev.direction } : null;
    }
    case 'dpiChanged': {
      const surface_id = sid(ev.surface);
      return surface_id ? { type: 'dpi_changed', surface_id, dpi: ev.dpi, scale: ev.scale } : null;
    }
    case 'displayChanged':
      return { type: 'display_changed', monitors: snakeKeys(ev.monitors) };
    case 'error':
      return { type: 'engine_error', code: ev.code, op: ev.op, message: ev.message };
    case 'eventsDropped':
      return { type: 'events_dropped', count: ev.count };
    default:
      return null;
  }
}

/** camelCase keys to snake_case, recursively (results of extension methods). */
export function snakeKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(snakeKeys);
  if (value === null || typeof value !== 'object' || value instanceof Uint8Array) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), snakeKeys(v)]));
}

/** snake_case keys to camelCase, recursively (draw ops written the JSON-RPC way). */
export function camelKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(camelKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase()), camelKeys(v)]));
}
