import { fork } from 'node:child_process';
import * as path from 'node:path';
import { connect, type Client, type Hud } from '../../client';
import type { Element } from '../../protocol';
import type { GoodClientWindow } from '../lib/hostile/goodClientProcess';
import { WORST_SURFACES, largestAllowed } from './worstSurfaces';

/** The worst scenes the attacker cycles through: the slowest of each kind the bench measures. */
const ATTACK_SCENES = ['thin strokes (1.5 wide) crossing each other', 'filled self-crossing polygon', 'wrapped text, a character a line'];

/** What the clients beside the attacker saw. */
export interface RenderAttackFigures {
  /** The well-behaved client's createHud round trips, ms. */
  createHudMs: number[];
  /** A client's update of its own visible HUD until `sync` says it is on screen, ms. */
  frameMs: number[];
  goodFailures: string[];
  /** Errors the attacker got: none, every scene is within the limits. */
  attackerErrors: string[];
  attackerRounds: number;
}

/** Set an element of any kind on a HUD through its set op. */
export function setElement(hud: Hud, key: string, element: Element): void {
  const { kind, ...fields } = element;
  if (kind === 'text') hud.setText(key, fields as never);
  else if (kind === 'rect') hud.setRect(key, fields as never);
  else if (kind === 'image') hud.setImage(key, fields as never);
  else hud.setDraw(key, fields as never);
}

/**
 * An attacker keeps re-setting the worst scenes the limits allow on
 * `surfaces` visible 1024×1024 HUDs, waiting for each round's frames. Beside
 * it, a well-behaved client process (bench/lib/hostile) loops createHud +
 * destroy, and a victim updates its own visible HUD and waits for each frame.
 * The attacker and the victim run in this process, the attacker's scenes
 * built beforehand so it does not hold the victim's event loop. `distDir`:
 * the compiled tree the good client's script is in.
 */
export async function renderAttack(endpoint: string, stateDir: string, distDir: string, durationMs: number, surfaces: number): Promise<RenderAttackFigures> {
  const good = fork(path.join(distDir, 'bench', 'lib', 'hostile', 'goodClientProcess.js'), [endpoint, stateDir], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const windowOf = () =>
    new Promise<GoodClientWindow>((resolve) => {
      good.once('message', (m) => resolve(m as GoodClientWindow));
      good.send({ cmd: 'window' });
    });
  const clients: Client[] = [];
  try {
    await new Promise((resolve, reject) => {
      good.once('message', resolve);
      good.once('exit', (code) => reject(new Error(`the good client exited (${code}) before it was ready`)));
    });
    const attacker = await connect({ endpoint, stateDir, name: 'render-attacker' });
    const victim = await connect({ endpoint, stateDir, name: 'render-victim' });
    clients.push(attacker, victim);
    const scenes = ATTACK_SCENES.map((name) => WORST_SURFACES.find((w) => w.name === name)!).map((w) => w.elements(largestAllowed(w)));
    const huds = await Promise.all(
      Array.from({ length: surfaces }, (_, i) =>
        attacker.createHud({ width: 1024, height: 1024, placement: { x: (i % 8) * 1024, y: Math.floor(i / 8) * 1024 } }),
      ),
    );
    for (const h of huds) h.show();
    const own = await victim.createHud({ width: 200, height: 50, placement: { x: 0, y: 4096 } });
    own.show();
    await windowOf();

    const attackerErrors: string[] = [];
    let attacking = true;
    let attackerRounds = 0;
    const attack = (async () => {
      for (; attacking; attackerRounds++) {
        huds.forEach((h, i) => {
          h.clearElements();
          for (const [k, el] of scenes[(attackerRounds + i) % scenes.length]!.entries()) setElement(h, `e${k}`, el);
        });
        await attacker.sync();
        for (let ev = attacker.pollEvent(); ev; ev = attacker.pollEvent()) if (ev.type === 'error') attackerErrors.push(ev.message);
      }
    })();
    const frameMs: number[] = [];
    const until = Date.now() + durationMs;
    for (let i = 0; Date.now() < until; i++) {
      const started = performance.now();
      own.setText('n', { text: String(i), x: 4, y: 4 });
      await victim.sync();
      frameMs.push(performance.now() - started);
    }
    const during = await windowOf();
    attacking = false;
    await attack;
    return { createHudMs: during.roundTripsMs, frameMs, goodFailures: during.failures, attackerErrors, attackerRounds };
  } finally {
    good.kill();
    await Promise.all(clients.map((c) => c.close()));
  }
}
