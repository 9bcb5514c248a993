import type { Client, Panel, PanepipeEvent } from '../../client';
import { drainEvents, sharedEngine } from '../helpers/engine';

const shared = sharedEngine(['--persistent', '--test-input', '--monitors', '1000x800@96']);
let pp: Client;
beforeAll(() => ({ client: pp } = shared));

/** Two panels side by side, each with one interactive button. */
async function twoPanels(): Promise<[Panel, Panel]> {
  const make = async (x: number) => {
    const panel = await pp.createPanel({ width: 100, height: 100, placement: { x, y: 100 } });
    panel.setRect('button', { x: 0, y: 0, width: 100, height: 100, fill: 'teal', interactive: true });
    panel.show();
    return panel;
  };
  const panels: [Panel, Panel] = [await make(100), await make(300)];
  await pp.sync();
  drainEvents(pp);
  return panels;
}

const click = (x: number) => pp.command('testPointer', { action: 'click', x, y: 150 });

/** Read events from an iterator until `clicks` elementClicked events (or its end). */
async function take(it: AsyncIterator<PanepipeEvent>, clicks: number): Promise<PanepipeEvent[]> {
  const out: PanepipeEvent[] = [];
  while (out.filter((e) => e.type === 'elementClicked').length < clicks) {
    const next = await it.next();
    if (next.done) break;
    out.push(next.value);
  }
  return out;
}

describe('events for more than one consumer', () => {
  it('every async iterator sees every event, and pollEvent() still sees them too', async () => {
    const [a, b] = await twoPanels();
    const first = pp[Symbol.asyncIterator]();
    const second = pp.events({ types: ['elementClicked'] });
    click(150);
    click(350);
    const [one, two] = await Promise.all([take(first, 2), take(second, 2)]);
    const clicks = (evs: PanepipeEvent[]) => evs.flatMap((e) => (e.type === 'elementClicked' ? [e.surface] : []));
    expect(clicks(one)).toEqual([a.id, b.id]);
    expect(clicks(two)).toEqual([a.id, b.id]);
    expect(two.every((e) => e.type === 'elementClicked')).toBe(true);
    expect(clicks(drainEvents(pp))).toEqual([a.id, b.id]);
    await first.return!();
    await second.return!();
    a.destroy();
    b.destroy();
  });

  it('per-surface listeners get only their surface; off() and an aborted signal stop them', async () => {
    const [a, b] = await twoPanels();
    const onA: string[] = [];
    const onB: string[] = [];
    const all: string[] = [];
    const stopB = new AbortController();
    const listener = (ev: { surface: string }) => all.push(ev.surface);
    a.on('elementClicked', (ev) => onA.push(ev.key));
    b.on('elementClicked', (ev) => onB.push(ev.surface), { signal: stopB.signal });
    pp.on('elementClicked', listener);
    click(150);
    click(350);
    await pp.sync();
    stopB.abort();
    pp.off('elementClicked', listener);
    click(350);
    await pp.sync();
    expect(onA).toEqual(['button']);
    expect(onB).toEqual([b.id]);
    expect(all).toEqual([a.id, b.id]);
    a.destroy();
    b.destroy();
  });

  it('once() resolves with the next matching event; an AbortSignal rejects it', async () => {
    const [a, b] = await twoPanels();
    const onB = b.once('elementClicked');
    const anyHover = pp.once('elementHovered');
    const aborted = new AbortController();
    const never = a.once('fadeCompleted', { signal: aborted.signal });
    click(150);
    click(350);
    expect(await onB).toMatchObject({ type: 'elementClicked', surface: b.id });
    expect(await anyHover).toMatchObject({ surface: a.id });
    aborted.abort();
    await expect(never).rejects.toMatchObject({ name: 'AbortError' });
    a.destroy();
    b.destroy();
  });

  it('a surface stream ends when its signal aborts; every stream ends after disconnected', async () => {
    const client = await shared.engine.connect();
    const panel = await client.createPanel({ width: 50, height: 50, placement: { x: 600, y: 600 } });
    const stop = new AbortController();
    const ofPanel = panel.events({ signal: stop.signal });
    const everything = client.events();
    const pending = client.once('elementClicked').catch((err: unknown) => err);
    stop.abort();
    expect(await ofPanel.next()).toEqual({ done: true, value: undefined });
    await client.close();
    const rest = await take(everything, Infinity);
    expect(rest.at(-1)).toMatchObject({ type: 'disconnected', reason: 'closed' });
    expect(await pending).toMatchObject({ code: 'shuttingDown' });
  });
});
