import { LIMITS, PanepipeError, type CommandFor, type DrawOp, type Element } from '../../../protocol';
import { checkElementWeight, limitExceeded, noteRemoval } from '../budgets';
import type { BatchPlan, EngineContext, Handler } from '../context';
import type { ElementWeight } from '../scene';
import type { Surface } from '../surface';

const SCENE_KINDS = ['hud', 'panel'] as const;

type ElementOp = 'setText' | 'setRect' | 'setImage' | 'setDraw';
const KIND_OF: { [O in ElementOp]: Element['kind'] } = {
  setText: 'text',
  setRect: 'rect',
  setImage: 'image',
  setDraw: 'draw',
};

/**
 * The element a set* command stores: the command itself, tagged with its
 * kind. Decoded for this thread alone, it is never shared, so storing it
 * saves a copy per update; the envelope (op, seq, surface) rides along unread.
 */
function elementOf(cmd: CommandFor<ElementOp>): Element & { key: string } {
  return Object.assign(cmd, { kind: KIND_OF[cmd.op] }) as unknown as Element & { key: string };
}

/** What each checked command's element weighs, for its apply. */
const weighed = new WeakMap<object, ElementWeight>();

function checkElement(ctx: EngineContext, cmd: CommandFor<ElementOp>, target: Surface, plan: BatchPlan | null): void {
  const scene = target.scene!;
  if (cmd.interactive && target.kind !== 'panel') {
    throw new PanepipeError('wrongSurfaceKind', `${cmd.op}: interactive elements need a panel; HUDs never take input`);
  }
  if (!scene.has(cmd.key)) {
    if (scene.size + (plan ? keysAdded(plan, target.id, cmd.key) : 1) > LIMITS.maxElementsPerSurface) {
      throw limitExceeded('maxElementsPerSurface');
    }
  }
  if (cmd.op === 'setImage') checkImage(ctx, cmd.op, cmd);
  if (cmd.op === 'setDraw') for (const [i, drawOp] of cmd.ops.entries()) checkDrawOp(ctx, `setDraw: ops.${i}`, drawOp);
  weighed.set(cmd, checkElementWeight(ctx, target, elementOf(cmd), plan));
}

/** Note that a batch adds `key` to a surface; returns how many keys the batch adds to it so far. */
function keysAdded(plan: BatchPlan, surface: string, key: string): number {
  let added = plan.addedKeys.get(surface);
  if (!added) {
    added = new Set();
    plan.addedKeys.set(surface, added);
  }
  added.add(key);
  return added.size;
}

function checkImage(ctx: EngineContext, where: string, image: { data: Uint8Array }): void {
  // The main thread decodes every image before the command gets here; bytes it could not decode never arrive.
  if (!ctx.renderer.imagePixels(image.data)) throw new PanepipeError('imageError', `${where}: the image was not decoded`);
}

function checkDrawOp(ctx: EngineContext, where: string, drawOp: DrawOp): void {
  if (drawOp.type === 'path' && !drawOp.commands && drawOp.d === undefined) {
    throw new PanepipeError('invalidCommand', `${where}: a path needs "commands" or "d"`);
  }
  if (drawOp.type === 'image') checkImage(ctx, where, drawOp);
}

function setElement<O extends ElementOp>(): Handler<O> {
  return {
    kinds: SCENE_KINDS,
    check: (ctx, cmd, target, _inv, plan) => checkElement(ctx, cmd, target!, plan),
    apply: (_ctx, cmd, target) => target!.scene!.set(elementOf(cmd), weighed.get(cmd)),
  };
}

export const sceneHandlers: { [O in ElementOp | 'removeElement' | 'clearElements']: Handler<O> } = {
  setText: setElement(),
  setRect: setElement(),
  setImage: setElement(),
  setDraw: setElement(),
  removeElement: {
    kinds: SCENE_KINDS,
    check: (_ctx, cmd, target, _inv, plan) => noteRemoval(target!, cmd.key, plan),
    apply: (_ctx, cmd, target) => target!.scene!.remove(cmd.key),
  },
  clearElements: {
    kinds: SCENE_KINDS,
    check: (_ctx, _cmd, target, _inv, plan) => noteRemoval(target!, null, plan),
    apply: (_ctx, _cmd, target) => target!.scene!.clear(),
  },
};
