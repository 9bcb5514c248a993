import type { EventType, PanepipeEvent, SurfaceId } from '../protocol';
import type { CommandError } from './commandErrors';
import { EventQueue } from './eventQueue';

/** What a listener of each event type receives: the event itself, or for `error` a CommandError. */
export type ListenerArg<T extends EventType> = T extends 'error' ? CommandError : Extract<PanepipeEvent, { type: T }>;
export type Listener<T extends EventType> = (arg: ListenerArg<T>) => void;

/** Which events a listener, a `once` or an event stream wants. */
export interface EventFilter {
  /** Only events about this surface or tray (its `surface` or `tray` field). */
  surface?: SurfaceId;
  /** Stop listening when this signal aborts: a listener is removed, a stream ends, a `once` rejects. */
  signal?: AbortSignal;
}

/** Options of `events()`: a filter, and which types to deliver (default all). */
export interface EventStreamOptions extends EventFilter {
  types?: readonly EventType[];
}

type AnyListener = (arg: unknown) => void;

/** The surface or tray an event is about, if any. */
function subjectOf(event: PanepipeEvent): SurfaceId | undefined {
  if ('surface' in event) return event.surface;
  if ('tray' in event) return event.tray;
  return undefined;
}

interface Entry {
  /** The listener as the app passed it (what off() is given). */
  original: AnyListener;
  /** What is called: the listener behind its surface filter. */
  call: AnyListener;
  remove(): void;
}

/** Listeners by event type (and listeners of every event), called in the order they were added. */
export class EventHub {
  private readonly listeners = new Map<EventType | '*', Entry[]>();

  /** Add `listener` for `type` ('*': every event), narrowed by `filter`; returns what removes it. */
  on<T extends EventType>(type: T | '*', listener: Listener<T>, filter: EventFilter = {}): () => void {
    if (filter.signal?.aborted) return () => undefined;
    const original = listener as AnyListener;
    const wanted = filter.surface;
    const list = this.listeners.get(type) ?? [];
    this.listeners.set(type, list);
    const onAbort = () => entry.remove();
    const entry: Entry = {
      original,
      call: wanted === undefined ? original : (arg) => subjectOf(arg as PanepipeEvent) === wanted && original(arg),
      remove: () => {
        filter.signal?.removeEventListener('abort', onAbort);
        const at = list.indexOf(entry);
        if (at >= 0) list.splice(at, 1);
      },
    };
    list.push(entry);
    filter.signal?.addEventListener('abort', onAbort, { once: true });
    return entry.remove;
  }

  /** Remove the first listener of `type` added as `listener`. */
  off<T extends EventType>(type: T, listener: Listener<T>): void {
    this.listeners
      .get(type)
      ?.find((e) => e.original === listener)
      ?.remove();
  }

  count(type: EventType): number {
    return this.listeners.get(type)?.length ?? 0;
  }

  /** Call the listeners of `event.type` with `arg`, then those of every event with the event; a throwing listener is reported like an uncaught exception, and the others still run. */
  emit(event: PanepipeEvent, arg: unknown): void {
    this.call(this.listeners.get(event.type), arg);
    this.call(this.listeners.get('*'), event);
  }

  private call(list: Entry[] | undefined, arg: unknown): void {
    if (!list) return;
    for (const entry of [...list]) {
      try {
        entry.call(arg);
      } catch (err) {
        process.nextTick(() => {
          throw err;
        });
      }
    }
  }

  /**
   * An event stream of its own: it sees every event delivered from now on
   * (bounded like pollEvent's queue, overflow counted in `eventsDropped`),
   * and ends after `disconnected` or when the signal aborts.
   */
  stream(capacity: number, opts: EventStreamOptions): AsyncIterableIterator<PanepipeEvent> {
    const queue = new EventQueue(capacity);
    const types = opts.types ? new Set<EventType>(opts.types) : null;
    const wanted = (ev: PanepipeEvent) => (!types || types.has(ev.type)) && (opts.surface === undefined || subjectOf(ev) === opts.surface);
    // `disconnected` ends every stream, whatever it filters.
    const push = ((ev: PanepipeEvent) => (ev.type === 'disconnected' || wanted(ev)) && queue.push(ev)) as Listener<EventType>;
    const remove = this.on('*', push, opts.signal ? { signal: opts.signal } : {});
    return drain(queue, remove, opts.signal);
  }
}

async function* drain(queue: EventQueue, remove: () => void, signal: AbortSignal | undefined): AsyncIterableIterator<PanepipeEvent> {
  const aborted = signal ? new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true })) : null;
  try {
    for (;;) {
      if (signal?.aborted) return;
      await (aborted ? Promise.race([queue.waitForEvent(), aborted]) : queue.waitForEvent());
      while (!signal?.aborted) {
        const ev = queue.shift();
        if (!ev) break;
        yield ev;
        if (ev.type === 'disconnected') return;
      }
    }
  } finally {
    remove();
  }
}
