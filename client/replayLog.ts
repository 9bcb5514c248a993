import type { BatchEntry, Command, OpArgs, OpName, SurfaceId } from '../protocol';

type CreateOp = 'createHud' | 'createPanel' | 'createPip' | 'createTray';

interface SurfaceRecord {
  create: { op: CreateOp; fields: OpArgs<CreateOp> };
  /** Latest set* command per element key, in the engine's insertion order. */
  elements: Map<string, BatchEntry>;
  /** Latest command per kind of surface state (visibility, position, anchor, tray menu, …). */
  state: Map<string, BatchEntry>;
}

/** Which recorded slot a state command overwrites: commands that undo each other share one. */
const SLOT: Partial<Record<OpName, string>> = {
  show: 'visibility',
  hide: 'visibility',
  fadeIn: 'visibility',
  fadeOut: 'visibility',
  anchorTo: 'anchor',
  unanchor: 'anchor',
  setSourceRegion: 'region',
  clearSourceRegion: 'region',
};

/**
 * What a client has built, so it can be rebuilt on a new engine after a
 * crash: each live surface's create options and the final state its
 * commands left, not the commands themselves.
 */
export class ReplayLog {
  private readonly surfaces = new Map<SurfaceId, SurfaceRecord>();

  created(id: SurfaceId, op: CreateOp, fields: OpArgs<CreateOp>): void {
    this.surfaces.set(id, { create: { op, fields }, elements: new Map(), state: new Map() });
  }

  record(cmd: Command | BatchEntry): void {
    if (cmd.op === 'batch') {
      for (const entry of cmd.commands) this.record(entry);
      return;
    }
    if (!('surface' in cmd)) return;
    const { seq: _seq, ...entry } = cmd as Command & { surface: SurfaceId };
    const s = this.surfaces.get(entry.surface);
    if (!s) return;
    const e = entry as BatchEntry;
    switch (e.op) {
      case 'destroy':
        this.surfaces.delete(e.surface);
        return;
      case 'setText':
      case 'setRect':
      case 'setImage':
      case 'setDraw':
        s.elements.set(e.key, e);
        return;
      case 'removeElement':
        s.elements.delete(e.key);
        return;
      case 'clearElements':
        s.elements.clear();
        return;
      default:
        // Visibility is replayed without its animation.
        if (e.op === 'fadeIn') s.state.set('visibility', { op: 'show', surface: e.surface });
        else if (e.op === 'fadeOut') s.state.set('visibility', { op: 'hide', surface: e.surface });
        else s.state.set(SLOT[e.op] ?? e.op, e);
    }
  }

  /** The user dragged the surface: replay puts it where it ended. */
  moved(id: SurfaceId, x: number, y: number): void {
    this.surfaces.get(id)?.state.set('setPosition', { op: 'setPosition', surface: id, x, y });
  }

  /** Surfaces in creation order, each with the commands that rebuild its state. */
  entries(): Array<{ id: SurfaceId; create: SurfaceRecord['create']; commands: BatchEntry[] }> {
    return [...this.surfaces].map(([id, s]) => ({
      id,
      create: s.create,
      // Elements first, visibility last, so a surface appears complete.
      commands: [
        ...s.elements.values(),
        ...[...s.state].filter(([k]) => k !== 'visibility').map(([, c]) => c),
        ...(s.state.has('visibility') ? [s.state.get('visibility')!] : []),
      ],
    }));
  }
}
