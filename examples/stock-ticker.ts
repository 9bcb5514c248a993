/**
 * A stock ticker on simulated data: a HUD along the bottom of the screen
 * with a random walk per symbol, green when up and red when down. Each
 * update is one `batch`, so the row changes in one frame.
 *
 *   node dist/examples/stock-ticker.js [--duration MS] [--screenshot FILE.png]
 */
import type { Client } from '../client';
import { connectExample, parseExampleArgs, runLoop, runMain } from './common';

type BatchEntry = Parameters<Client['batch']>[0][number];

interface Quote {
  symbol: string;
  price: number;
  open: number;
}

runMain(async () => {
  const args = parseExampleArgs('Usage: node dist/examples/stock-ticker.js [options]');
  const pp = await connectExample(args, 'stock ticker');
  const quotes: Quote[] = [
    { symbol: 'PANE', price: 128.4, open: 128.4 },
    { symbol: 'PIPE', price: 42.1, open: 42.1 },
    { symbol: 'HUDX', price: 311.9, open: 311.9 },
    { symbol: 'TRAY', price: 7.35, open: 7.35 },
  ];
  const cell = 200;
  const width = cell * quotes.length + 20;
  const hud = await pp.createHud({ width, height: 48, placement: { monitor: 0, anchor: 'bottomCenter', margin: 24 } });
  hud.setRect('bg', { x: 0, y: 0, width, height: 48, fill: '#0b0f14e8', cornerRadius: 8 });
  // Deterministic pseudo-random walk, so every run looks alike.
  let seed = 7;
  const rand = () => {
    seed = (seed * 16807) % 2147483647;
    return seed / 2147483647 - 0.5;
  };
  const tick = () => {
    const commands: BatchEntry[] = [];
    quotes.forEach((q, i) => {
      q.price = Math.max(0.01, q.price * (1 + rand() * 0.02));
      const change = ((q.price - q.open) / q.open) * 100;
      const up = change >= 0;
      const x = 14 + i * cell;
      commands.push(
        { op: 'setText', surface: hud.id, key: `sym${i}`, text: q.symbol, x, y: 14, fontSize: 16, fontWeight: 'bold', color: '#e6edf3' },
        { op: 'setText', surface: hud.id, key: `px${i}`, text: q.price.toFixed(2), x: x + 60, y: 14, fontSize: 16, color: '#e6edf3' },
        {
          op: 'setText',
          surface: hud.id,
          key: `chg${i}`,
          text: `${up ? '▲' : '▼'}${Math.abs(change).toFixed(1)}%`,
          x: x + 130,
          y: 15,
          fontSize: 13,
          color: up ? '#3fb950' : '#f85149',
        },
      );
    });
    pp.batch(commands);
  };
  tick();
  hud.show();
  console.log(`stock ticker: HUD ${hud.id} shown`);
  await runLoop(pp, args, { tick, everyMs: 500 });
});
