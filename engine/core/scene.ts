import type { Element } from '../../protocol';

/** An element as stored: its kind, its key and its validated fields. */
export type KeyedElement = Element & { key: string };

/**
 * A retained scene: elements keyed by string, drawn in insertion order
 * unless a `z` says otherwise. Replacing an element keeps its place.
 */
export class Scene {
  private readonly elements = new Map<string, KeyedElement>();
  private ordered: KeyedElement[] | null = null;
  /** Bumped on every change; the renderer compares it to skip unchanged frames. */
  version = 0;

  get size(): number {
    return this.elements.size;
  }

  has(key: string): boolean {
    return this.elements.has(key);
  }

  get(key: string): KeyedElement | undefined {
    return this.elements.get(key);
  }

  set(element: KeyedElement): void {
    this.elements.set(element.key, element);
    this.changed();
  }

  remove(key: string): boolean {
    const removed = this.elements.delete(key);
    if (removed) this.changed();
    return removed;
  }

  clear(): void {
    if (this.elements.size === 0) return;
    this.elements.clear();
    this.changed();
  }

  /** Elements bottom to top. */
  drawOrder(): readonly KeyedElement[] {
    if (!this.ordered) {
      const entries = [...this.elements.values()];
      // Array.prototype.sort is stable, so equal z keeps insertion order.
      if (entries.some((e) => e.z !== undefined)) entries.sort((a, b) => (a.z ?? 0) - (b.z ?? 0));
      this.ordered = entries;
    }
    return this.ordered;
  }

  keys(): IterableIterator<string> {
    return this.elements.keys();
  }

  private changed(): void {
    this.ordered = null;
    this.version++;
  }
}
