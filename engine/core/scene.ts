import type { Element } from '../../protocol';

/** An element as stored: its kind, its key and its validated fields. */
export type KeyedElement = Element & { key: string };

/** What an element weighs against its surface's and its session's budgets. */
export interface ElementWeight {
  /** Render cost, estimated for the surface's current size and scale. */
  cost: number;
  /** Bytes of the decoded images it draws. */
  imageBytes: number;
}

const WEIGHTLESS: ElementWeight = { cost: 0, imageBytes: 0 };

/**
 * Changes past this many keys between two renders count as a change of
 * everything: the log stays bounded while a hidden surface is updated, and
 * so many changes would damage most of the surface anyway.
 */
const MAX_LOGGED_CHANGES = 256;

/**
 * What changed since the renderer last took the changes: each changed key
 * with the element it held then (undefined: it had none), or 'all'.
 */
export type SceneChanges = ReadonlyMap<string, KeyedElement | undefined> | 'all';

/**
 * A retained scene: elements keyed by string, drawn in insertion order
 * unless a `z` says otherwise. Replacing an element keeps its place. Each
 * element carries its render cost, estimated for the surface's current size
 * and scale, and the scene keeps their sum.
 */
export class Scene {
  private readonly elements = new Map<string, KeyedElement>();
  private readonly weights = new Map<string, ElementWeight>();
  private ordered: KeyedElement[] | null = null;
  private changes: Map<string, KeyedElement | undefined> | 'all' = 'all';
  /** Bumped on every change; the renderer compares it to skip unchanged frames. */
  version = 0;
  /** Sum of the elements' render costs. */
  cost = 0;
  /** Sum of the elements' decoded image bytes. */
  imageBytes = 0;

  get size(): number {
    return this.elements.size;
  }

  has(key: string): boolean {
    return this.elements.has(key);
  }

  get(key: string): KeyedElement | undefined {
    return this.elements.get(key);
  }

  weightOf(key: string): ElementWeight {
    return this.weights.get(key) ?? WEIGHTLESS;
  }

  /** `weight`: what it costs (left out where no budget is kept). */
  set(element: KeyedElement, weight = WEIGHTLESS): void {
    this.logChange(element.key);
    this.elements.set(element.key, element);
    this.weigh(this.weightOf(element.key), -1);
    this.weights.set(element.key, weight);
    this.weigh(weight, 1);
    this.changed();
  }

  remove(key: string): boolean {
    if (this.elements.has(key)) this.logChange(key);
    const removed = this.elements.delete(key);
    if (removed) {
      this.weigh(this.weightOf(key), -1);
      this.weights.delete(key);
      this.changed();
    }
    return removed;
  }

  clear(): void {
    if (this.elements.size === 0) return;
    this.elements.clear();
    this.weights.clear();
    this.cost = 0;
    this.imageBytes = 0;
    this.changes = 'all';
    this.changed();
  }

  /** What changed since the last call (everything, the first time): the renderer's damage. */
  takeChanges(): SceneChanges {
    const changes = this.changes;
    this.changes = new Map();
    return changes;
  }

  /** Note `key`'s element as it was before its first change since the last take. */
  private logChange(key: string): void {
    const changes = this.changes;
    if (changes === 'all' || changes.has(key)) return;
    if (changes.size >= MAX_LOGGED_CHANGES) this.changes = 'all';
    else changes.set(key, this.elements.get(key));
  }

  /** Every element's render cost again, for a new surface size or scale; the pixels do not change. */
  recost(costOf: (element: KeyedElement) => number): void {
    this.cost = 0;
    for (const element of this.elements.values()) {
      const weight = { ...this.weightOf(element.key), cost: costOf(element) };
      this.weights.set(element.key, weight);
      this.cost += weight.cost;
    }
  }

  values(): IterableIterator<KeyedElement> {
    return this.elements.values();
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

  private weigh(weight: ElementWeight, sign: 1 | -1): void {
    this.cost += sign * weight.cost;
    this.imageBytes += sign * weight.imageBytes;
  }

  private changed(): void {
    this.ordered = null;
    this.version++;
  }
}
