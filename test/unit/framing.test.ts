import { FrameBatch, FrameDecoder, commandStreamCodec, decodeBody, encodeFrame, forEachWholeFrame, frameBytes, type FrameSpan, type StreamCodec } from '../../protocol';

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

  it('rejects a frame over the limit, skips its bytes and stays in sync', () => {
    const decoder = new FrameDecoder(64);
    const big = encodeFrame({ s: 'x'.repeat(200) }, 1_000);
    const after = encodeFrame({ ok: 1 });
    const results = [...decoder.push(big.subarray(0, 50)), ...decoder.push(Buffer.concat([big.subarray(50), after]))];
    expect(results).toHaveLength(2);
    expect(results[0]).toMatchObject({ ok: false, code: 'frameTooLarge' });
    expect(results[1]).toMatchObject({ ok: true, value: { ok: 1 } });
    expect(frameBytes(results[1] as FrameSpan)).toEqual(after);
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
