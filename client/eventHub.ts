import type { EventType, PanepipeEvent } from '../protocol';
import type { CommandError } from './commandErrors';

/** What a listener of each event type receives: the event itself, or for `error` a CommandError. */
export type ListenerArg<T extends EventType> = T extends 'error' ? CommandError : Extract<PanepipeEvent, { type: T }>;
export type Listener<T extends EventType> = (arg: ListenerArg<T>) => void;

/** Listeners by event type, called in the order they were added. */
export class EventHub {
  private readonly listeners = new Map<EventType, Array<(arg: unknown) => void>>();

  on<T extends EventType>(type: T, listener: Listener<T>): void {
    const list = this.listeners.get(type) ?? [];
    list.push(listener as (arg: unknown) => void);
    this.listeners.set(type, list);
  }

  off<T extends EventType>(type: T, listener: Listener<T>): void {
    const list = this.listeners.get(type);
    const at = list?.indexOf(listener as (arg: unknown) => void) ?? -1;
    if (at >= 0) list!.splice(at, 1);
  }

  count(type: EventType): number {
    return this.listeners.get(type)?.length ?? 0;
  }

  /** Call every listener of `type`; one that throws is reported like an uncaught exception, and the others still run. */
  emit(type: EventType, arg: unknown): void {
    const list = this.listeners.get(type);
    if (!list) return;
    for (const listener of [...list]) {
      try {
        listener(arg);
      } catch (err) {
        process.nextTick(() => {
          throw err;
        });
      }
    }
  }
}
