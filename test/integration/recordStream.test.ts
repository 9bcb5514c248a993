import { FrameBatch, commandStreamCodec } from '../../protocol';
import { rawClient, type RawClient } from '../helpers/rawClient';
import { startEngine, waitFor, type TestEngine } from '../helpers/engine';
import { decodePng, solidPng } from '../helpers/png';

/**
 * A connection's commands are one record stream: a shape is defined in the
 * first frame that uses it. The engine decodes each frame twice (main thread
 * to validate, engine thread to run), so the engine thread must follow the
 * stream through every frame, including those it does not run from bytes:
 * rejected, undecodable, and those whose command crosses as an object.
 */
describe('the command record stream across both engine threads', () => {
  let engine: TestEngine;
  let raw: RawClient;
  const stream = new FrameBatch(commandStreamCodec);
  let seq = 0;

  beforeAll(async () => {
    engine = await startEngine();
    raw = await rawClient(engine);
  });
  afterAll(async () => {
    raw.close();
    await engine.stop();
  });

  const queue = (op: string, fields: Record<string, unknown>): number => {
    stream.add({ op, seq: ++seq, ...fields });
    return seq;
  };
  const write = (): void => {
    raw.socket.write(stream.take());
  };
  const reply = async (at: number): Promise<Record<string, unknown>> => {
    const find = () => raw.received.find((m) => (m as { type?: string; seq?: number }).type === 'reply' && (m as { seq: number }).seq === at);
    await waitFor(() => find() !== undefined);
    return find() as Record<string, unknown>;
  };
  const request = async (op: string, fields: Record<string, unknown> = {}): Promise<Record<string, unknown>> => {
    const at = queue(op, fields);
    write();
    return (await reply(at)).result as Record<string, unknown>;
  };

  it('keeps decoding right after rejected, undecodable and asset-bearing frames that defined shapes', async () => {
    const { id: surface } = await request('createHud', { width: 100, height: 20 });
    const rect = (key: string, x: number, fill: string, extra: Record<string, unknown> = {}) => ({
      surface,
      key,
      x,
      y: 0,
      width: 10,
      height: 20,
      fill,
      ...extra,
    });

    queue('setRect', rect('a', 0, '#ff0000'));
    // First use of the shape with cornerRadius, in a command that is refused.
    const refused = queue('setRect', rect('bad', 0, '#ffffff', { cornerRadius: -5 }));
    stream.addFrame(Buffer.from([2, 0, 0, 0, 0x82, 0xa1])); // a map cut short
    // An image: its command crosses to the engine thread as an object, with its pixels.
    queue('setImage', { surface, key: 'img', x: 80, y: 0, data: solidPng(10, 20, '#0000ff') });
    queue('show', { surface });
    write();
    await request('sync');

    // Runs from bytes, in the shape the refused command defined.
    queue('setRect', rect('c', 40, '#00ff00', { cornerRadius: 0 }));
    const { png } = await request('snapshot', { surface });

    const p = await decodePng(png as Uint8Array);
    expect(p.at(5, 10)).toEqual([255, 0, 0, 255]);
    expect(p.at(45, 10)).toEqual([0, 255, 0, 255]);
    expect(p.at(85, 10)).toEqual([0, 0, 255, 255]);
    expect(p.at(25, 10)[3]).toBe(0);
    const errors = raw.received.filter((m) => (m as { type?: string }).type === 'error');
    // An unreadable frame has no command to keep in order with: its error is sent as soon as it is read.
    expect(errors).toHaveLength(2);
    expect(errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ seq: refused, op: 'setRect', code: 'invalidCommand' }),
        expect.objectContaining({ seq: null, code: 'badFrame' }),
      ]),
    );
    expect(engine.output()).not.toMatch(/internal|did not decode/);
  });

  it('accepts plain maps on the same connection', async () => {
    const { id: surface } = await request('createHud', { width: 10, height: 10 });
    raw.send({ op: 'setRect', seq: ++seq, surface, key: 'm', x: 0, y: 0, width: 10, height: 10, fill: '#00ff00' });
    const { surfaces } = await request('status');
    expect((surfaces as Array<{ id: string; elements: number }>).find((s) => s.id === surface)!.elements).toBe(1);
  });
});
