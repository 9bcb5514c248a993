import * as fc from 'fast-check';
import {
  FrameBatch,
  FrameDecoder,
  LIMITS,
  commandStreamCodec,
  decodeBody,
  encodeBody,
  encodeFrame,
  forEachWholeFrame,
  frameBytes,
  type DecodedFrame,
  type FrameSpan,
  type StreamCodec,
} from '../../protocol';
import { scanShapes } from '../../protocol/shapeScan';

describe('framing', () => {
  const messages = [{ op: 'sync', seq: 1 }, { op: 'setText', seq: 2, text: 'é€😀', data: Buffer.from([1, 2, 3]) }, { n: 3 }];
  const stream = Buffer.concat(messages.map((m) => encodeFrame(m)));

  it('decodes frames coalesced into one read', () => {
    const frames = new FrameDecoder().push(stream);
    expect(frames.map((f) => (f.ok ? f.value : f))).toEqual(messages);
  });

  it('hands over each frame as received, header included', () => {
    const frames = new FrameDecoder().push(stream);
    expect(frames.map((f) => (f.ok ? frameBytes(f) : f))).toEqual(messages.map((m) => encodeFrame(m)));
  });

  it('decodes frames split at every byte boundary', () => {
    const decoder = new FrameDecoder();
    const out: unknown[] = [];
    const bytes: Buffer[] = [];
    for (let i = 0; i < stream.length; i++) {
      for (const f of decoder.push(stream.subarray(i, i + 1))) {
        out.push(f.ok ? f.value : f);
        if (f.ok) bytes.push(Buffer.from(frameBytes(f)));
      }
    }
    expect(out).toEqual(messages);
    expect(Buffer.concat(bytes).equals(stream)).toBe(true);
    expect(decoder.buffered).toBe(0);
  });

  it('keeps binary payloads binary', () => {
    const [f] = new FrameDecoder().push(encodeFrame({ data: new Uint8Array([9, 8, 7]) }));
    expect(f!.ok && (f.value as { data: Uint8Array }).data).toEqual(Buffer.from([9, 8, 7]));
  });

  it('reports a frame over the limit once and reads nothing after it', () => {
    const decoder = new FrameDecoder(64);
    const big = encodeFrame({ s: 'x'.repeat(200) }, 1_000);
    const after = encodeFrame({ ok: 1 });
    const results = [...decoder.push(big.subarray(0, 50)), ...decoder.push(Buffer.concat([big.subarray(50), after])), ...decoder.push(after)];
    expect(results).toEqual([{ ok: false, fatal: true, code: 'frameTooLarge', length: big.length - 4, message: expect.stringContaining('64-byte limit') }]);
    expect(decoder.buffered).toBe(0);
  });

  it('does not wait for the bytes a 2^32 − 1 length prefix announces', () => {
    const decoder = new FrameDecoder();
    const header = Buffer.from([0xff, 0xff, 0xff, 0xff]);
    // The header split over two reads, as a slow sender would.
    expect(decoder.push(header.subarray(0, 2))).toEqual([]);
    expect(decoder.push(Buffer.concat([header.subarray(2), Buffer.alloc(64 * 1024)]))).toMatchObject([{ code: 'frameTooLarge', length: 2 ** 32 - 1 }]);
    expect(decoder.push(Buffer.alloc(64 * 1024))).toEqual([]);
    expect(decoder.buffered).toBe(0);
  });

  it('reassembles a 16 MiB frame arriving in 64 KiB reads in the time of a few copies of it', () => {
    const frame = encodeFrame({ pad: Buffer.alloc(16 * 1024 * 1024 - 64) });
    const reads = Array.from({ length: Math.ceil(frame.length / (64 * 1024)) }, (_, i) => frame.subarray(i * 64 * 1024, (i + 1) * 64 * 1024));
    const median = (run: () => void): number => {
      const times = Array.from({ length: 5 }, () => {
        const t0 = performance.now();
        run();
        return performance.now() - t0;
      });
      return times.sort((a, b) => a - b)[2]!;
    };
    let frames: DecodedFrame[] = [];
    const oneCopy = median(() => Buffer.concat(reads));
    const reassembly = median(() => {
      const decoder = new FrameDecoder();
      frames = reads.flatMap((r) => decoder.push(r));
    });
    expect(frames.length === 1 && frames[0]!.ok && frameBytes(frames[0]!).equals(frame)).toBe(true);
    // Linear: each byte is copied on arrival, plus the doublings (2–6 copies' time here). Copying all pending bytes on every read took 26–125.
    expect(reassembly / oneCopy).toBeLessThan(12);
  });

  it('holds a frame sent one byte at a time without a buffer per byte', () => {
    const frame = encodeFrame({ pad: Buffer.alloc(256 * 1024) });
    const decoder = new FrameDecoder();
    const t0 = performance.now();
    const frames = [];
    for (let i = 0; i < frame.length; i++) frames.push(...decoder.push(frame.subarray(i, i + 1)));
    expect(frames).toHaveLength(1);
    expect(frameBytes(frames[0] as FrameSpan).equals(frame)).toBe(true);
    expect(performance.now() - t0).toBeLessThan(2_000);
  });

  it('accepts a frame exactly at the limit', () => {
    const frame = encodeFrame({ s: 'x'.repeat(50) });
    const bodyLength = frame.readUInt32LE(0);
    const [f] = new FrameDecoder(bodyLength).push(frame);
    expect(f!.ok).toBe(true);
  });

  it('reports an undecodable body as badFrame and carries on', () => {
    const bad = Buffer.from([2, 0, 0, 0, 0x92, 0x01]); // an array of two holding one item
    const frames = new FrameDecoder().push(Buffer.concat([bad, encodeFrame({ fine: true })]));
    expect(frames[0]).toMatchObject({ ok: false, code: 'badFrame' });
    expect(frames[1]).toMatchObject({ ok: true, value: { fine: true } });
    expect(frameBytes(frames[1] as FrameSpan)).toEqual(encodeFrame({ fine: true }));
  });

  describe("a connection's command stream (records)", () => {
    const commands = Array.from({ length: 5 }, (_, i) => ({ op: 'setText', seq: i, surface: 's1', key: 'k', text: `t${i}`, x: 1, y: 2 }));
    const encode = (): Buffer => {
      const batch = new FrameBatch(commandStreamCodec);
      for (const c of commands) batch.add(c);
      batch.add({ op: 'show', seq: 9, surface: 's1' });
      return batch.take();
    };
    const expected = [...commands, { op: 'show', seq: 9, surface: 's1' }];
    const wholeFrames = (frames: Uint8Array, codec: StreamCodec): unknown[] => {
      const out: unknown[] = [];
      forEachWholeFrame(frames, (start, end) => out.push(codec.unpack(frames, { start, end })));
      return out;
    };

    it('defines a shape once: later frames are far smaller than maps, and decode in order', () => {
      const stream = encode();
      const frames = new FrameDecoder(undefined, commandStreamCodec()).push(stream);
      expect(frames.map((f) => f.ok && f.value)).toEqual(expected);
      const sizes = frames.map((f) => (f.ok ? f.end - f.start : 0));
      expect(sizes[2]!).toBeLessThan(encodeFrame(commands[2]).length * 0.6);
    });

    it('decodes the same way from a buffer of whole frames (what crosses to the engine thread), also as a view', () => {
      const stream = encode();
      expect(wholeFrames(new Uint8Array(stream), commandStreamCodec())).toEqual(expected);
      const padded = Buffer.concat([Buffer.from([7, 7, 7]), stream, Buffer.from([7])]);
      expect(wholeFrames(padded.subarray(3, 3 + stream.length), commandStreamCodec())).toEqual(expected);
    });

    it('needs every earlier frame: a decoder that missed the first cannot read a later one', () => {
      const frames = new FrameDecoder().push(encode());
      const later = frames[3]!.ok ? frameBytes(frames[3]) : Buffer.alloc(0);
      expect(() => commandStreamCodec().unpack(later.subarray(4))).toThrow();
    });

    it('stays decodable after a message that could not be encoded (over the limit, or a value msgpack cannot hold)', () => {
      const batch = new FrameBatch(commandStreamCodec);
      const image = (seq: number, bytes: number) => ({ op: 'setImage', seq, surface: 's1', key: 'k', x: 0, y: 0, data: new Uint8Array(bytes) });
      expect(() => batch.add(image(1, 17 * 1024 * 1024))).toThrow(RangeError);
      expect(() => batch.add({ op: 'setText', seq: 2, surface: 's1', key: 'k', text: 't', x: BigInt(2) ** BigInt(70) })).toThrow();
      batch.add(image(3, 4));
      batch.add({ op: 'setText', seq: 4, surface: 's1', key: 'k', text: 't', x: 1 });
      const decoder = new FrameDecoder(undefined, commandStreamCodec());
      expect(decoder.push(batch.take()).map((f) => f.ok && (f.value as { seq: number }).seq)).toEqual([3, 4]);
    });

    it('switches codec between frames of one read: a plain hello, then records', () => {
      const hello = encodeFrame({ hello: 'panepipe' });
      const decoder = new FrameDecoder();
      const seen: unknown[] = [];
      decoder.feed(Buffer.concat([hello, encode()]), (f) => {
        seen.push(f.ok ? f.value : f.message);
        if (seen.length === 1) decoder.codec = commandStreamCodec();
      });
      expect(seen).toEqual([{ hello: 'panepipe' }, ...expected]);
    });
  });

  describe("a client's frames: maps and record shapes are checked before they are decoded", () => {
    const objectOf = (keys: number, prefix = 'k'): Record<string, number> => Object.fromEntries(Array.from({ length: keys }, (_, i) => [`${prefix}${i}`, i]));
    /** What a session's decoder makes of one frame of the command stream. */
    const decodeChecked = (decoder: FrameDecoder, body: Uint8Array) => decoder.push(Buffer.concat([Buffer.from(Uint32Array.of(body.length).buffer), body]))[0]!;
    const sessionDecoder = () => new FrameDecoder(undefined, commandStreamCodec(), true);

    it(`a record shape of ${LIMITS.maxObjectKeys} keys decodes; one more key is refused, never decoded`, () => {
      const client = commandStreamCodec();
      const decoder = sessionDecoder();
      expect(decodeChecked(decoder, encodeBody(objectOf(LIMITS.maxObjectKeys), client))).toMatchObject({ ok: true, value: objectOf(LIMITS.maxObjectKeys) });
      expect(decodeChecked(decoder, encodeBody(objectOf(LIMITS.maxObjectKeys + 1, 'j'), client))).toEqual({
        ok: false,
        fatal: true,
        code: 'limitExceeded',
        message: `limit exceeded: maxObjectKeys is ${LIMITS.maxObjectKeys}: a record shape with ${LIMITS.maxObjectKeys + 1} keys`,
      });
      // The refused shape never reached msgpackr.
      expect((decoder.codec as unknown as { structures: string[][] }).structures.every((keys) => keys.length <= LIMITS.maxObjectKeys)).toBe(true);
    });

    it(`a map of ${LIMITS.maxObjectKeys} keys decodes; one more key is refused`, () => {
      const decoder = sessionDecoder();
      expect(decodeChecked(decoder, encodeBody(objectOf(LIMITS.maxObjectKeys)))).toMatchObject({ ok: true });
      expect(decodeChecked(decoder, encodeBody(objectOf(LIMITS.maxObjectKeys + 1)))).toMatchObject({
        ok: false,
        fatal: true,
        code: 'limitExceeded',
        message: expect.stringContaining('maxObjectKeys'),
      });
      // A map32 of a million entries (key "a", value 0): refused at its header, before any of them is read.
      const million = Buffer.concat([Buffer.from([0xdf, 0x00, 0x0f, 0x42, 0x40]), Buffer.alloc(3_000_000, Buffer.from([0xa1, 0x61, 0x00]))]);
      // Only the header knows the count; walking the entries would run into maxValuesPerFrame instead.
      expect(decodeChecked(decoder, million)).toMatchObject({
        ok: false,
        code: 'limitExceeded',
        message: expect.stringMatching(/maxObjectKeys.*a map with 1000000 keys/),
      });
    });

    it('a map over the limit is found after any kind of value, and none is mistaken for one', () => {
      // Payload bytes of 0xdf read as a map32 header of 3.7 billion keys: a scan that lands inside a value refuses a good frame.
      const payload = (n: number) => Array<number>(n).fill(0xdf);
      const be = (n: number, bytes: number) => Array.from({ length: bytes }, (_, i) => (n >>> (8 * (bytes - 1 - i))) & 0xff);
      const sized = fc.integer({ min: 5, max: 300 });
      const value = fc.oneof(
        fc.integer({ min: 0x00, max: 0x7f }).map((b) => [b]),
        fc.integer({ min: 0xe0, max: 0xff }).map((b) => [b]),
        fc.integer({ min: 0x80, max: 0x9f }).map((b) => [b]),
        fc.constantFrom([0xc0], [0xc2], [0xc3]),
        fc.integer({ min: 5, max: 31 }).map((n) => [0xa0 | n, ...payload(n)]),
        fc.tuple(fc.constantFrom(0xc4, 0xd9), sized).map(([t, n]) => [t, n & 0xff, ...payload(n & 0xff)]),
        fc.tuple(fc.constantFrom(0xc5, 0xda), sized).map(([t, n]) => [t, ...be(n, 2), ...payload(n)]),
        fc.tuple(fc.constantFrom(0xc6, 0xdb), sized).map(([t, n]) => [t, ...be(n, 4), ...payload(n)]),
        sized.map((n) => [0xc7, n & 0xff, 0x01, ...payload(n & 0xff)]),
        sized.map((n) => [0xc8, ...be(n, 2), 0x01, ...payload(n)]),
        sized.map((n) => [0xc9, ...be(n, 4), 0x01, ...payload(n)]),
        fc.constantFrom(
          ...(
            [
              [0xcc, 0xd0],
              [0xcd, 0xd1],
              [0xca, 0xce, 0xd2],
              [0xcb, 0xcf, 0xd3],
            ] as const
          ).flatMap((tags, i) => tags.map((t) => [t, ...payload(2 ** i)])),
        ),
        fc.constantFrom(...[0xd4, 0xd5, 0xd6, 0xd7, 0xd8].map((t, i) => [t, 0x01, ...payload(2 ** i)])),
        fc.constantFrom([0xdc, ...payload(2)], [0xdd, ...payload(4)]),
        fc.integer({ min: 0, max: LIMITS.maxObjectKeys }).chain((n) => fc.constantFrom([0xde, ...be(n, 2)], [0xdf, ...be(n, 4)])),
      );
      fc.assert(
        fc.property(fc.array(value, { maxLength: 8 }), fc.boolean(), fc.boolean(), (before, wide, over) => {
          const keys = LIMITS.maxObjectKeys + (over ? 1 : 0);
          const body = Uint8Array.from([...before.flat(), ...(wide ? [0xdf, ...be(keys, 4)] : [0xde, ...be(keys, 2)])]);
          const { refused } = scanShapes(body, 0, body.length);
          if (over) expect(refused).toEqual({ code: 'limitExceeded', message: expect.stringContaining(`a map with ${keys} keys`) });
          else expect(refused).toBeNull();
        }),
        { numRuns: 1_000 },
      );
    });

    it(`a record shape is defined under a one-byte id below ${LIMITS.maxRecordShapes}, as an array of its keys`, () => {
      const define = (id: number, header: number[]) => scanShapes(Uint8Array.from([0xd4, 0x72, id, ...header]), 0, 3 + header.length);
      expect(define(LIMITS.maxRecordShapes - 1, [0x93])).toEqual({ refused: null, definesShapes: true });
      expect(define(0x40 | (LIMITS.maxRecordShapes - 1), [0xdc, 0, LIMITS.maxObjectKeys])).toEqual({ refused: null, definesShapes: true });
      expect(define(1, [0xdd, 0, 0, 0, LIMITS.maxObjectKeys + 1]).refused).toMatchObject({
        message: expect.stringContaining(`a record shape with ${LIMITS.maxObjectKeys + 1} keys`),
      });
      expect(define(1, [0x9f]).refused).toBeNull();
      for (const notAnArray of [[0xa0], [0x80], [0xc0]]) expect(define(1, notAnArray).refused).toMatchObject({ code: 'badFrame' });
      // A definition cut at the frame's end: the next frame's first byte is not its array.
      expect(scanShapes(Uint8Array.from([0xd4, 0x72, 1, 0x93]), 0, 3).refused).toMatchObject({ code: 'badFrame' });
      expect(scanShapes(Uint8Array.from([0xd5, 0x72, 1, 0]), 0, 4)).toMatchObject({ refused: { code: 'limitExceeded' }, definesShapes: true });
      expect(scanShapes(Uint8Array.from([0xd4, 0x01, 0x93, 0xd5, 0x01, 0, 0]), 0, 7)).toEqual({ refused: null, definesShapes: false });
    });

    it(`a frame of ${LIMITS.maxValuesPerFrame} msgpack values decodes; one more is refused, never decoded`, () => {
      const decoder = sessionDecoder();
      // An array header is a value too: the array holds one fewer.
      const arrayOf = (values: number) => encodeBody({ points: new Array<number>(values - 3).fill(1) });
      expect(decodeChecked(decoder, arrayOf(LIMITS.maxValuesPerFrame))).toMatchObject({ ok: true });
      expect(decodeChecked(decoder, arrayOf(LIMITS.maxValuesPerFrame + 1))).toMatchObject({
        ok: false,
        fatal: true,
        code: 'limitExceeded',
        message: expect.stringContaining(`maxValuesPerFrame is ${LIMITS.maxValuesPerFrame}`),
      });
    });

    it(`the ${LIMITS.maxRecordShapes} one-byte record ids all work, and keep working as the encoder reuses them; a two-byte id is refused`, () => {
      const client = commandStreamCodec();
      const decoder = sessionDecoder();
      for (let shape = 0; shape < 3 * LIMITS.maxRecordShapes; shape++) {
        const value = { [`shape${shape}`]: shape, seq: shape };
        expect(decodeChecked(decoder, encodeBody(value, client))).toMatchObject({ ok: true, value });
      }
      // What msgpackr's encoder writes with shared structures: fixext 2, "r", a two-byte id, the keys, the values.
      const twoByteId = Buffer.from([0xd5, 0x72, 0x60, 0x01, 0x91, 0xa1, 0x61, 0x07]);
      expect(decodeChecked(decoder, twoByteId)).toMatchObject({
        ok: false,
        fatal: true,
        code: 'limitExceeded',
        message: expect.stringContaining(`maxRecordShapes is ${LIMITS.maxRecordShapes}`),
      });
    });

    it('a record definition whose keys are not an array is refused (an array-like extension would escape the count)', () => {
      // "r" for id 1, then a typed-array extension of 200 bytes where the key list should be.
      const body = Buffer.concat([Buffer.from([0xd4, 0x72, 0x01, 0xc7, 201, 0x74, 0x01]), Buffer.alloc(200)]);
      expect(decodeChecked(sessionDecoder(), body)).toMatchObject({ ok: false, fatal: true, code: 'badFrame' });
    });

    it('bytes that look like a definition or a big map inside strings, binaries and numbers are left alone', () => {
      const lookAlike = Buffer.from([0xd4, 0x72, 0x01, 0xdd, 0xff, 0xff, 0xff, 0xff, 0xde, 0xff, 0xff, 0xd5, 0x72]);
      const value = {
        bin: lookAlike,
        text: lookAlike.toString('latin1'),
        float: new DataView(lookAlike.buffer, lookAlike.byteOffset).getFloat64(0),
        n: 0xd472,
      };
      const decoder = sessionDecoder();
      expect(decodeChecked(decoder, encodeBody(value, commandStreamCodec()))).toMatchObject({ ok: true, value });
    });

    it('never refuses what the client library encodes within the limits', () => {
      const small = fc.dictionary(fc.string({ maxLength: 6 }), fc.oneof(fc.integer(), fc.string(), fc.double(), fc.uint8Array({ maxLength: 40 })), {
        maxKeys: LIMITS.maxObjectKeys,
      });
      const value = fc.oneof(small, fc.array(small, { maxLength: 4 }), fc.record({ op: fc.string(), nested: small, list: fc.array(small, { maxLength: 3 }) }));
      fc.assert(
        fc.property(fc.array(value, { minLength: 1, maxLength: 40 }), (values) => {
          const client = commandStreamCodec();
          const decoder = sessionDecoder();
          for (const v of values) {
            const f = decodeChecked(decoder, encodeBody(v, client));
            expect(f.ok).toBe(true);
          }
        }),
        { numRuns: 300 },
      );
    });

    it('reads the token boundaries msgpackr reads: no frame it lets through gives msgpackr an oversized or two-byte shape', () => {
      const keys = (n: number) => Array.from({ length: n }, (_, i) => [0xa1, 0x61 + (i % 26)]).flat();
      const arrayHeader = (n: number) =>
        n < 16 ? [0x90 + n] : n < 65536 ? [0xdc, n >> 8, n & 0xff] : [0xdd, n >>> 24, (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff];
      const snippet = fc.oneof(
        // A definition under a one-byte id, with its keys (sometimes too many), then its values.
        fc
          .tuple(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 2 * LIMITS.maxObjectKeys }))
          .map(([id, n]) => [0xd4, 0x72, id, ...arrayHeader(n), ...keys(n), ...Array(n).fill(0x01)]),
        fc
          .tuple(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 20 }))
          .map(([id, hb, n]) => [0xd5, 0x72, id, hb, ...arrayHeader(n), ...keys(n), ...Array(n).fill(0x02)]),
        fc.integer({ min: 0x40, max: 0x7f }).map((ref) => [ref]),
        fc.integer({ min: 0, max: 200 }).map((n) => [0xde, n >> 8, n & 0xff, ...Array(n).fill([0xa1, 0x62, 0x03]).flat()]),
        fc.uint8Array({ maxLength: 12 }).map((b) => [0xc4, b.length, ...b]),
        fc.uint8Array({ minLength: 8, maxLength: 8 }).map((b) => [0xcb, ...b]),
        fc.uint8Array({ maxLength: 6 }).map((b) => [...b]),
        fc.constantFrom([0x93], [0x92], [0xc0], [0xd4, 0x00, 0x00], [0xd6, 0x69, 0, 0, 0, 1], [0xd4, 0x73, 0x00], [0xa2, 0xd4, 0x72]),
      );
      fc.assert(
        fc.property(fc.array(fc.array(snippet, { minLength: 1, maxLength: 8 }), { minLength: 1, maxLength: 6 }), (frames) => {
          const codec = commandStreamCodec();
          for (const frame of frames) {
            const body = Uint8Array.from(frame.flat());
            if (scanShapes(body, 0, body.length).refused) return; // the session ends here
            try {
              codec.unpack(body);
            } catch {
              // An undecodable frame still leaves the shapes it defined.
            }
            const structures = (codec as unknown as { structures: Array<string[] & { highByte?: number }> }).structures;
            for (const [id, shape] of Object.entries(structures)) {
              if (!/^\d+$/.test(id)) continue;
              expect(Number(id)).toBeLessThan(LIMITS.maxRecordShapes);
              expect(shape.length).toBeLessThanOrEqual(LIMITS.maxObjectKeys);
              expect(shape.highByte).toBeUndefined();
            }
            expect(Object.keys(structures).filter((k) => /^-\d+$/.test(k))).toEqual([]);
          }
        }),
        { numRuns: 2_000 },
      );
    });
  });

  it('batches frames into one buffer that grows past its first size, and starts afresh after take', () => {
    const batch = new FrameBatch();
    const big = { s: 'y'.repeat(100_000) };
    const sent = [{ a: 1 }, big, { b: 2 }, big];
    batch.add(sent[0]);
    batch.addFrame(encodeFrame(sent[1]));
    batch.add(sent[2]);
    batch.add(sent[3]);
    const taken = batch.take();
    expect(batch.isEmpty).toBe(true);
    expect(taken.equals(Buffer.concat(sent.map((m) => encodeFrame(m))))).toBe(true);
    batch.add({ c: 3 });
    expect(batch.take().equals(encodeFrame({ c: 3 }))).toBe(true);
    // The first buffer is the caller's now: later batches never write into it.
    expect(new FrameDecoder().push(taken).map((f) => f.ok && f.value)).toEqual(sent);
  });

  it('refuses to encode a body over the limit', () => {
    expect(() => encodeFrame({ s: 'x'.repeat(100) }, 10)).toThrow(/exceeds/);
    expect(decodeBody(encodeFrame({ a: 1 }).subarray(4))).toEqual({ a: 1 });
  });
});
