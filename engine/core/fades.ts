import type { EngineContext } from './context';
import { setVisible } from './lifecycle';
import type { Surface } from './surface';

/** Interval between fade steps; a fade is the only thing that wakes an idle engine. */
export const FADE_STEP_MS = 16;

/** Start fading in (showing first) or out (hiding at the end). */
export function startFade(ctx: EngineContext, s: Surface, direction: 'in' | 'out', durationMs: number): void {
  const current = s.fade ? currentFadeOpacity(s, performance.now()) : s.visible ? s.opacity : 0;
  const to = direction === 'in' ? s.opacity : 0;
  s.fade = { direction, from: direction === 'in' && !s.visible ? 0 : current, to, start: performance.now(), durationMs };
  if (direction === 'in' && !s.visible) {
    ctx.platform.setOpacity(s.handle, 0);
    setVisible(ctx, s, true);
  }
  stepFade(ctx, s, performance.now());
}

function currentFadeOpacity(s: Surface, now: number): number {
  const f = s.fade!;
  const t = f.durationMs <= 0 ? 1 : Math.min(1, (now - f.start) / f.durationMs);
  const to = f.direction === 'in' ? s.opacity : 0;
  return f.from + (to - f.from) * t;
}

/** Advance one surface's fade; emits fadeCompleted and finishes it when done. */
export function stepFade(ctx: EngineContext, s: Surface, now: number): void {
  const f = s.fade;
  if (!f) return;
  ctx.platform.setOpacity(s.handle, currentFadeOpacity(s, now));
  if (now - f.start < f.durationMs) return;
  s.fade = null;
  if (f.direction === 'out') {
    setVisible(ctx, s, false);
    ctx.platform.setOpacity(s.handle, s.opacity);
  }
  ctx.outbox.event(s.session, { type: 'fadeCompleted', surface: s.id, direction: f.direction });
}
