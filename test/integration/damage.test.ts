import fc from 'fast-check';
import type { Client, Hud } from '../../client';
import { H, W, change, finalScene, type Change } from '../helpers/damageScenes';
import { sharedEngine } from '../helpers/engine';
import type { Pixels } from '../helpers/png';
import { screenshot } from '../helpers/screen';

/**
 * Damage tracking is safe only if redrawing what changed gives the very
 * bytes a full redraw gives. Random scenes get random changes, each change
 * presented on its own (a patch each); then what the screen shows of the
 * surface must equal what it shows of a fresh surface given the final
 * scene at once (a full frame).
 */
const shared = sharedEngine(['--persistent', '--test-input', '--monitors', '400x160@96,560x200@144']);
let pp: Client;
beforeAll(() => ({ client: pp } = shared));

function apply(hud: Hud, c: Change): void {
  const { op, key, ...fields } = c;
  if (op === 'removeElement') hud.removeElement(key);
  else if (op === 'setRect') hud.setRect(key, fields as Parameters<Hud['setRect']>[1]);
  else if (op === 'setText') hud.setText(key, fields as Parameters<Hud['setText']>[1]);
  else hud.setDraw(key, fields as Parameters<Hud['setDraw']>[1]);
}

function region(shot: Pixels, x: number, y: number, width: number, height: number): number[] {
  const out: number[] = [];
  for (let row = y; row < y + height; row++) for (let col = x; col < x + width; col++) out.push(...shot.at(col, row));
  return out;
}

async function pixelsPresented(): Promise<number> {
  return (await pp.status()).stats.pixelsPresented;
}

describe.each([
  ['at 96 dpi', 0],
  ['at 144 dpi', 1],
])('damage tracking %s', (_name, monitor) => {
  it('updates pixels byte for byte as a full redraw of the final scene draws them', async () => {
    const { bounds, physicalBounds, scale } = (await pp.monitors())[monitor]!;
    const physical = { width: Math.round(W * scale), height: Math.round(H * scale) };
    let partial = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(change, { minLength: 1, maxLength: 6 }),
        fc.array(fc.array(change, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 5 }),
        async (initial, steps) => {
          const updated = await pp.createHud({ width: W, height: H, placement: { x: bounds.x, y: bounds.y } });
          const fresh = await pp.createHud({ width: W, height: H, placement: { x: bounds.x + 2 * W, y: bounds.y } });
          try {
            for (const c of initial) apply(updated, c);
            updated.show();
            await pp.sync();
            for (const step of steps) {
              for (const c of step) apply(updated, c);
              const before = await pixelsPresented();
              await pp.sync();
              if ((await pixelsPresented()) - before < physical.width * physical.height) partial++;
            }
            for (const c of finalScene([...initial, ...steps.flat()])) apply(fresh, c);
            fresh.show();
            await pp.sync();
            const shot = await screenshot(pp);
            const { x, y } = physicalBounds;
            expect(region(shot, x, y, physical.width, physical.height)).toEqual(
              region(shot, x + Math.round(2 * W * scale), y, physical.width, physical.height),
            );
          } finally {
            updated.destroy();
            fresh.destroy();
          }
        },
      ),
      { numRuns: 20 },
    );
    // Most changes were presented as patches: the damage path is what was checked.
    expect(partial).toBeGreaterThan(10);
  }, 120_000);
});
