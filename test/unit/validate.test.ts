import { LIMITS, boundedMessage, parseCommand } from '../../protocol';

describe('command validation', () => {
  it('accepts a well-formed command and keeps its fields', () => {
    const r = parseCommand({ op: 'setText', seq: 4, surface: 's1', key: 'k', text: 'hi', x: 1, y: 2, fontSize: 18 });
    expect(r).toEqual({ ok: true, command: { op: 'setText', seq: 4, surface: 's1', key: 'k', text: 'hi', x: 1, y: 2, fontSize: 18 }, verbatim: true });
  });

  it.each([
    [{ op: 'nope', seq: 1 }, 'unknownOp'],
    [{ seq: 1 }, 'unknownOp'],
    ['a string', 'invalidCommand'],
    [[1, 2], 'invalidCommand'],
    [{ op: 'setText', seq: 1, surface: 's1', key: 'k', text: 5, x: 0, y: 0 }, 'invalidCommand'],
    [{ op: 'setText', seq: 1, surface: 's1', key: 'k', text: 'a', x: 0, y: 0, fontsize: 3 }, 'invalidCommand'],
    [{ op: 'setRect', seq: 1, surface: 's1', key: 'k', x: 0, y: 0, width: 1, height: 1, fill: 'reddish' }, 'invalidCommand'],
    [{ op: 'createHud', seq: 1, width: 0, height: 10 }, 'invalidCommand'],
    [{ op: 'show', seq: 1, surface: '../etc' }, 'invalidCommand'],
    [{ op: 'setOpacity', seq: 1, surface: 's1', opacity: 2 }, 'invalidCommand'],
    [{ op: 'setPosition', seq: 1, surface: 's1', x: Infinity, y: 0 }, 'invalidCommand'],
  ])('rejects %j with %s', (raw, code) => {
    const r = parseCommand(raw);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.code).toBe(code);
      expect(r.message.length).toBeGreaterThan(5);
    }
  });

  describe('colors', () => {
    const fill = (color: string) => parseCommand({ op: 'setRect', seq: 1, surface: 's1', key: 'k', x: 0, y: 0, width: 1, height: 1, fill: color });

    it.each(['#abc', '#abcd', '#a0B1c2', '#a0B1c2d3', 'red', 'transparent', 'rgb(1, 2, 3)', 'rgba(1,2,3,0.5)', 'hsl(10, 50%, 50%)', 'hsla(10 50% 50% / 0.2)'])(
      'accepts %s (CSS forms)',
      (color) => {
        expect(fill(color)).toMatchObject({ ok: true, command: { fill: color } });
      },
    );

    it.each(['#', '#ab', '#abcde', '#abcdef0', '#abcdef012', 'abc', '#abg', 'reddish', 'rgb(1, 2)', `#${'f'.repeat(200)}`])('refuses %j', (color) => {
      expect(fill(color)).toMatchObject({ ok: false, code: 'invalidCommand', message: expect.stringContaining('a CSS colour') });
    });
  });

  it('names the seq and op of a rejected command when it can', () => {
    const r = parseCommand({ op: 'setOpacity', seq: 77, surface: 's1', opacity: 'x' });
    expect(r).toMatchObject({ ok: false, seq: 77, op: 'setOpacity' });
  });

  it('points of one draw element: at the limit works, one past is limitExceeded, counted over all its ops', () => {
    const polyline = (points: number) => ({ type: 'polyline', points: new Array<number>(2 * points).fill(1) });
    const path = (commands: number) => ({ type: 'path', commands: new Array(commands).fill({ cmd: 'lineTo', x: 1, y: 1 }) });
    const draw = (ops: unknown[]) => parseCommand({ op: 'setDraw', seq: 1, surface: 's1', key: 'k', ops });
    const perOp = LIMITS.maxDrawOps;
    const full = Array.from({ length: Math.floor(LIMITS.maxPointsPerDraw / perOp) }, () => polyline(perOp));
    const rest = LIMITS.maxPointsPerDraw - full.length * perOp;
    expect(draw([...full, path(rest)])).toMatchObject({ ok: true });
    expect(draw([...full, path(rest + 1)])).toMatchObject({ ok: false, code: 'limitExceeded', message: expect.stringContaining('maxPointsPerDraw is 65536') });
  });

  it('text length: at the limit works, one past is limitExceeded', () => {
    const at = parseCommand({ op: 'setText', seq: 1, surface: 's1', key: 'k', text: 'x'.repeat(LIMITS.maxTextLength), x: 0, y: 0 });
    const past = parseCommand({ op: 'setText', seq: 1, surface: 's1', key: 'k', text: 'x'.repeat(LIMITS.maxTextLength + 1), x: 0, y: 0 });
    expect(at.ok).toBe(true);
    expect(past).toMatchObject({ ok: false, code: 'limitExceeded' });
  });

  it('a batch validates every entry and refuses nested queries', () => {
    expect(parseCommand({ op: 'batch', seq: 1, commands: [{ op: 'show', surface: 's1' }] }).ok).toBe(true);
    expect(parseCommand({ op: 'batch', seq: 1, commands: [{ op: 'sync' }] })).toMatchObject({ ok: false, code: 'invalidCommand' });
    expect(
      parseCommand({
        op: 'batch',
        seq: 1,
        commands: [
          { op: 'show', surface: 's1' },
          { op: 'setOpacity', surface: 's1', opacity: 9 },
        ],
      }),
    ).toMatchObject({ ok: false });
  });

  describe(`error messages are at most ${LIMITS.maxErrorMessageBytes} bytes`, () => {
    const max = LIMITS.maxErrorMessageBytes;

    it('at the limit a message is whole; one byte past, it is cut and says so', () => {
      expect(boundedMessage('x'.repeat(max))).toBe('x'.repeat(max));
      expect(boundedMessage('é'.repeat(max / 2))).toBe('é'.repeat(max / 2));
      // As much of the message as fits is kept: the cut one is exactly at the limit.
      const cut = boundedMessage('x'.repeat(max + 1));
      expect(Buffer.byteLength(cut)).toBe(max);
      expect(cut).toMatch(new RegExp(`^x+ … \\(${max + 1} bytes, cut\\)$`));
    });

    it('counts UTF-8 bytes and never splits a character', () => {
      for (const unit of ['é', '€', '😀']) {
        const message = unit.repeat(max);
        const cut = boundedMessage(message);
        expect(Buffer.byteLength(cut)).toBeLessThanOrEqual(max);
        expect(cut.startsWith(unit.repeat(10))).toBe(true);
        expect(Buffer.from(cut).toString()).toBe(cut);
        expect(cut).not.toMatch(/\uFFFD/);
      }
    });

    it('a command naming huge unknown keys gets a short message that still says what is wrong', () => {
      const keys = Object.fromEntries(Array.from({ length: LIMITS.maxObjectKeys - 2 }, (_, i) => [`${'k'.repeat(100_000)}${i}`, 0]));
      const t0 = performance.now();
      const r = parseCommand({ op: 'status', seq: 3, ...keys });
      expect(performance.now() - t0).toBeLessThan(500);
      expect(r).toMatchObject({
        ok: false,
        seq: 3,
        op: 'status',
        code: 'invalidCommand',
        message: expect.stringMatching(/^status: \(command\): Unrecognized keys: "kkk/),
      });
      if (!r.ok) expect(Buffer.byteLength(r.message)).toBeLessThanOrEqual(max);
    });
  });
});
