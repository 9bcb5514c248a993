import { LIMITS, PanepipeError, overLimit, type Limits, type Rect, type TrayIcon } from '../../protocol';
import type { BatchPlan, EngineContext } from './context';
import { scaleAt, toPhysical } from './geometry';
import type { ElementWeight, KeyedElement, Scene } from './scene';
import type { Surface } from './surface';

/**
 * The budgets a session's surfaces are held to: each surface's render cost,
 * the session's pixels and its decoded image bytes. Every check throws
 * limitExceeded naming the limit and changes nothing; inside a batch it
 * also notes what the entry would change, so later entries are checked
 * against the state the earlier ones leave.
 */

export function limitExceeded(name: keyof Limits, asked?: string): PanepipeError {
  return new PanepipeError('limitExceeded', asked === undefined ? overLimit(name) : `${overLimit(name)} (${asked})`);
}

/** A scene as a batch would leave it: changed elements (null: removed) over the scene's own. */
export interface SceneProjection {
  bounds: Rect;
  weights: Map<string, ElementWeight | null>;
  /** Elements the batch sets, by key. */
  elements: Map<string, KeyedElement>;
  /** The batch cleared the scene: elements not in `weights` are gone. */
  cleared: boolean;
  cost: number;
  imageBytes: number;
}

function projection(s: Surface, plan: BatchPlan | null): SceneProjection {
  let p = plan?.surfaces.get(s.id);
  if (!p) {
    p = { bounds: s.bounds, weights: new Map(), elements: new Map(), cleared: false, cost: s.scene?.cost ?? 0, imageBytes: s.scene?.imageBytes ?? 0 };
    plan?.surfaces.set(s.id, p);
  }
  return p;
}

function weightIn(p: SceneProjection, scene: Scene, key: string): ElementWeight | null {
  const changed = p.weights.get(key);
  if (changed !== undefined) return changed;
  return p.cleared || !scene.has(key) ? null : scene.weightOf(key);
}

function physical(ctx: EngineContext, bounds: Rect): { width: number; height: number; scale: number; pixels: number } {
  const p = toPhysical(ctx.monitors(), bounds);
  return { width: p.width, height: p.height, scale: scaleAt(ctx.monitors(), bounds), pixels: p.width * p.height };
}

/** Bytes of decoded images a surface holds: its scene's, or its tray icon's. */
function surfaceImageBytes(ctx: EngineContext, s: Surface, plan: BatchPlan | null): number {
  const p = plan?.surfaces.get(s.id);
  if (p) return p.imageBytes;
  return s.scene?.imageBytes ?? trayIconBytes(ctx, s.tray?.icon ?? null);
}

/** Bytes of a tray icon's pixels. */
export function trayIconBytes(ctx: EngineContext, icon: TrayIcon | null): number {
  if (!icon) return 0;
  return 'rgba' in icon ? icon.rgba.byteLength : (ctx.renderer.imagePixels(icon.data)?.rgba.byteLength ?? 0);
}

function sessionImageBytes(ctx: EngineContext, session: number, plan: BatchPlan | null): number {
  let bytes = 0;
  for (const s of ctx.registry.ofSession(session)) bytes += surfaceImageBytes(ctx, s, plan);
  return bytes;
}

/** Throws unless the session's decoded images stay within budget when one surface's change from `before` to `after` bytes. */
export function checkImageBytes(ctx: EngineContext, session: number, before: number, after: number, plan: BatchPlan | null): void {
  if (after <= before) return;
  const total = sessionImageBytes(ctx, session, plan) - before + after;
  if (total > LIMITS.maxImagePixelBytesPerSession) {
    throw limitExceeded('maxImagePixelBytesPerSession', `this would make ${total} bytes of decoded images`);
  }
}

/**
 * Throws when a surface's render cost would pass the budget, unless the
 * change lowers it (a surface moved to a higher DPI by the user may be over,
 * and must be able to come back under).
 */
function checkCost(ctx: EngineContext, pixels: number, cost: number, before: { pixels: number; cost: number }): void {
  const total = Math.round(ctx.renderer.pixelsCost(pixels) + cost);
  if (total > LIMITS.maxRenderCostPerSurface && total > surfaceCost(ctx, before)) {
    throw limitExceeded('maxRenderCostPerSurface', Number.isFinite(total) ? `this would make the surface cost ${total}` : 'this element alone would pass it');
  }
}

function surfaceCost(ctx: EngineContext, at: { pixels: number; cost: number }): number {
  return ctx.renderer.pixelsCost(at.pixels) + at.cost;
}

/**
 * Weigh an element about to be set on `s`'s scene and check the surface's
 * render cost and the session's image bytes. Returns its weight.
 */
export function checkElementWeight(ctx: EngineContext, s: Surface, element: KeyedElement, plan: BatchPlan | null): ElementWeight {
  const p = projection(s, plan);
  const at = physical(ctx, p.bounds);
  const old = weightIn(p, s.scene!, element.key) ?? { cost: 0, imageBytes: 0 };
  // The most it may cost: what the budget leaves (or what it had, for a surface already over).
  const before = { pixels: at.pixels, cost: p.cost };
  const cap = Math.max(LIMITS.maxRenderCostPerSurface, surfaceCost(ctx, before)) - surfaceCost(ctx, { pixels: at.pixels, cost: p.cost - old.cost });
  const weight = ctx.renderer.weigh(element, p.bounds.width, p.bounds.height, at.scale, cap);
  checkCost(ctx, at.pixels, p.cost - old.cost + weight.cost, before);
  checkImageBytes(ctx, s.session, p.imageBytes, p.imageBytes - old.imageBytes + weight.imageBytes, plan);
  if (plan) {
    p.weights.set(element.key, weight);
    p.elements.set(element.key, element);
    p.cost += weight.cost - old.cost;
    p.imageBytes += weight.imageBytes - old.imageBytes;
  }
  return weight;
}

/**
 * Laying out text to measure it costs what laying it out to draw it does:
 * a `measureText` whose text alone would pass a surface's budget is refused.
 */
export function checkMeasureCost(ctx: EngineContext, text: KeyedElement & { kind: 'text' }): void {
  const cost = Math.round(ctx.renderer.weigh(text, 0, 0, 1).cost);
  if (cost > LIMITS.maxRenderCostPerSurface) throw limitExceeded('maxRenderCostPerSurface', `laying out this text would cost ${cost}`);
}

/** In a batch: note that `key` is removed from `s`'s scene, or (null) that the scene is cleared. */
export function noteRemoval(s: Surface, key: string | null, plan: BatchPlan | null): void {
  if (!plan) return;
  const p = projection(s, plan);
  if (key === null) {
    p.weights.clear();
    p.elements.clear();
    p.cleared = true;
    p.cost = 0;
    p.imageBytes = 0;
    return;
  }
  const old = weightIn(p, s.scene!, key);
  if (!old) return;
  p.weights.set(key, null);
  p.elements.delete(key);
  p.cost -= old.cost;
  p.imageBytes -= old.imageBytes;
}

/** Physical pixels of the session's window surfaces, with `s` at `bounds`. */
function sessionPixels(ctx: EngineContext, session: number, s: Surface | null, bounds: Rect, plan: BatchPlan | null): number {
  let pixels = physical(ctx, bounds).pixels;
  for (const other of ctx.registry.ofSession(session)) {
    if (other === s || other.kind === 'tray') continue;
    pixels += physical(ctx, plan?.surfaces.get(other.id)?.bounds ?? other.bounds).pixels;
  }
  return pixels;
}

/**
 * Check a surface of `session` at `bounds`: a new one (`s` null) or `s`
 * moved or resized there. Its pixels, its session's pixels, and the render
 * cost of its scene at the new size and scale. A change that shrinks what
 * it measures passes even over the limit (see checkCost).
 */
export function checkBounds(ctx: EngineContext, session: number, s: Surface | null, bounds: Rect, plan: BatchPlan | null): void {
  const at = physical(ctx, bounds);
  const p = s ? projection(s, plan) : null;
  const before = p ? physical(ctx, p.bounds) : { pixels: 0, scale: at.scale };
  if (at.pixels > before.pixels) {
    if (at.pixels > LIMITS.maxPixelsPerSurface) {
      const asked = toPhysical(ctx.monitors(), bounds);
      throw limitExceeded('maxPixelsPerSurface', `asked ${asked.width}×${asked.height}`);
    }
    const total = sessionPixels(ctx, session, s, bounds, plan);
    if (total > LIMITS.maxPixelsPerSession) throw limitExceeded('maxPixelsPerSession', `this would make ${total}`);
  }
  if (!p || !s?.scene) {
    if (p && plan) p.bounds = bounds;
    return;
  }
  let cost = p.cost;
  const weights = new Map<string, ElementWeight>();
  if (bounds.width !== p.bounds.width || bounds.height !== p.bounds.height || at.scale !== before.scale) {
    // Costs clip to the surface and scale with it: weigh every element again.
    cost = 0;
    const kept = [...s.scene.values()].filter((e) => !p.elements.has(e.key) && weightIn(p, s.scene!, e.key));
    for (const element of [...kept, ...p.elements.values()]) {
      const weight = { ...weightIn(p, s.scene, element.key)!, cost: ctx.renderer.weigh(element, bounds.width, bounds.height, at.scale).cost };
      weights.set(element.key, weight);
      cost += weight.cost;
    }
  }
  checkCost(ctx, at.pixels, cost, { pixels: before.pixels, cost: p.cost });
  if (plan) Object.assign(p, { bounds, weights: new Map([...p.weights, ...weights]), cost });
}
