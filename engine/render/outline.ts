import type { PathSink } from './drawOps';

/**
 * What a path costs Skia, read off its geometry without building it: how
 * many edges it has, how long it is and how many pixel rows its edges
 * cross, and its bounds. Every figure is an upper bound of what Skia works
 * through: a curve is no longer than its control polygon and crosses no
 * more rows, and Skia cuts it into at most a fixed number of lines. It is
 * traced like a Skia path, through Canvas 2D's path methods.
 */
export class Outline implements PathSink {
  /** Line edges Skia scan-converts. */
  edges = 0;
  length = 0;
  /** Sum of the edges' vertical extents. */
  rows = 0;
  minX = Infinity;
  minY = Infinity;
  maxX = -Infinity;
  maxY = -Infinity;
  private x = 0;
  private y = 0;
  private startX = 0;
  private startY = 0;
  private open = false;

  moveTo(x: number, y: number): void {
    this.x = this.startX = x;
    this.y = this.startY = y;
    this.open = true;
    this.include(x, y);
  }

  lineTo(x: number, y: number): void {
    if (!this.open) {
      this.moveTo(x, y);
      return;
    }
    this.length += Math.hypot(x - this.x, y - this.y);
    this.rows += Math.abs(y - this.y);
    this.edges++;
    this.x = x;
    this.y = y;
    this.include(x, y);
  }

  quadraticCurveTo(cpx: number, cpy: number, x: number, y: number): void {
    this.curveTo([cpx, cpy, x, y]);
  }

  bezierCurveTo(cp1x: number, cp1y: number, cp2x: number, cp2y: number, x: number, y: number): void {
    this.curveTo([cp1x, cp1y, cp2x, cp2y, x, y]);
  }

  arc(x: number, y: number, radius: number, startAngle: number, endAngle: number, counterclockwise?: boolean): void {
    this.sweep(x, y, radius, radius, startAngle, sweepOf(startAngle, endAngle, counterclockwise));
  }

  ellipse(x: number, y: number, rx: number, ry: number, _rotation: number, startAngle: number, endAngle: number): void {
    this.sweep(x, y, rx, ry, startAngle, sweepOf(startAngle, endAngle, false));
  }

  rect(x: number, y: number, width: number, height: number): void {
    this.moveTo(x, y);
    this.lineTo(x + width, y);
    this.lineTo(x + width, y + height);
    this.lineTo(x, y + height);
    this.closePath();
  }

  /** Its corners: a full turn of arc in four quarters. */
  roundRect(x: number, y: number, width: number, height: number, radius: number): void {
    this.rect(x, y, width, height);
    this.sweep(x + width / 2, y + height / 2, radius, radius, 0, 2 * Math.PI);
  }

  closePath(): void {
    if (this.open && (this.x !== this.startX || this.y !== this.startY)) this.lineTo(this.startX, this.startY);
  }

  /** A curve through its control points to the last point. */
  private curveTo(points: readonly number[]): void {
    if (!this.open) this.moveTo(points[0]!, points[1]!);
    for (let i = 0; i + 1 < points.length; i += 2) this.lineTo(points[i]!, points[i + 1]!);
    this.edges += CURVE_EDGES - points.length / 2;
  }

  /**
   * An elliptical arc around (cx, cy) swept by `sweep` radians from angle
   * `start`, joined to the current point by a line, as Canvas 2D does.
   */
  private sweep(cx: number, cy: number, rx: number, ry: number, start: number, sweep: number): void {
    const turns = Math.min(1, Math.abs(sweep) / (2 * Math.PI));
    const end = start + Math.sign(sweep) * turns * 2 * Math.PI;
    const from = { x: cx + rx * Math.cos(start), y: cy + ry * Math.sin(start) };
    if (this.open) this.lineTo(from.x, from.y);
    else this.moveTo(from.x, from.y);
    const length = turns * 2 * Math.PI * Math.max(rx, ry);
    this.length += length;
    // Its rows: at most its length, and at most the ellipse's height per half turn.
    this.rows += Math.min(length, 2 * ry * Math.ceil(turns * 2));
    // Skia cuts a larger arc finer: about the square root of its radius in lines per turn.
    const perTurn = Math.min(ARC_EDGES_MAX, ARC_EDGES_MIN + 8 * Math.sqrt(Math.max(rx, ry)));
    this.edges += Math.ceil(Math.max(ARC_EDGES_MIN, turns * perTurn));
    this.include(cx - rx, cy - ry);
    this.include(cx + rx, cy + ry);
    this.x = cx + rx * Math.cos(end);
    this.y = cy + ry * Math.sin(end);
  }

  private include(x: number, y: number): void {
    if (x < this.minX) this.minX = x;
    if (x > this.maxX) this.maxX = x;
    if (y < this.minY) this.minY = y;
    if (y > this.maxY) this.maxY = y;
  }
}

/** The angle Canvas 2D sweeps from start to end (at most one full turn). */
function sweepOf(start: number, end: number, counterclockwise: boolean | undefined): number {
  const turn = 2 * Math.PI;
  if (!counterclockwise) return end - start >= turn ? turn : (((end - start) % turn) + turn) % turn;
  return start - end >= turn ? -turn : -((((start - end) % turn) + turn) % turn);
}

/** Lines Skia cuts one quadratic or cubic curve into, at most. */
const CURVE_EDGES = 16;
/** Lines of a full turn of an arc, at most: Skia turns it into conics, those into quads, those into lines. */
const ARC_EDGES_MAX = 512;
const ARC_EDGES_MIN = 16;

/** Numbers each SVG path command takes. */
const SVG_ARITY: Record<string, number> = { m: 2, l: 2, h: 1, v: 1, c: 6, s: 4, q: 4, t: 2, a: 7, z: 0 };
const SVG_TOKEN = /([MmLlHhVvCcSsQqTtAaZz])|([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)/g;

/**
 * The outline of SVG path data, as an upper bound: it reads the commands the
 * way Skia's parser does (implicit repeats, relative forms, reflected control
 * points) but bounds an arc by the circle its larger radius spans, or by half
 * a circle over its chord when the radii are too small to reach.
 */
export function svgOutline(d: string, into: Outline): void {
  let cmd = '';
  let args: number[] = [];
  let x = 0;
  let y = 0;
  let startX = 0;
  let startY = 0;
  // The last control point, for the reflecting forms S and T.
  let cx = 0;
  let cy = 0;
  const run = (): void => {
    const rel = cmd === cmd.toLowerCase();
    const ox = rel ? x : 0;
    const oy = rel ? y : 0;
    const a = args;
    let nx = x;
    let ny = y;
    switch (cmd.toLowerCase()) {
      case 'm':
        nx = ox + a[0]!;
        ny = oy + a[1]!;
        into.moveTo(nx, ny);
        startX = nx;
        startY = ny;
        // Further pairs after a moveto are linetos.
        cmd = rel ? 'l' : 'L';
        break;
      case 'l':
        nx = ox + a[0]!;
        ny = oy + a[1]!;
        into.lineTo(nx, ny);
        break;
      case 'h':
        nx = ox + a[0]!;
        into.lineTo(nx, ny);
        break;
      case 'v':
        ny = oy + a[0]!;
        into.lineTo(nx, ny);
        break;
      case 'c':
        nx = ox + a[4]!;
        ny = oy + a[5]!;
        into.bezierCurveTo(ox + a[0]!, oy + a[1]!, ox + a[2]!, oy + a[3]!, nx, ny);
        cx = ox + a[2]!;
        cy = oy + a[3]!;
        break;
      case 's':
        nx = ox + a[2]!;
        ny = oy + a[3]!;
        into.bezierCurveTo(2 * x - cx, 2 * y - cy, ox + a[0]!, oy + a[1]!, nx, ny);
        cx = ox + a[0]!;
        cy = oy + a[1]!;
        break;
      case 'q':
        nx = ox + a[2]!;
        ny = oy + a[3]!;
        into.quadraticCurveTo(ox + a[0]!, oy + a[1]!, nx, ny);
        cx = ox + a[0]!;
        cy = oy + a[1]!;
        break;
      case 't': {
        const qx = 2 * x - cx;
        const qy = 2 * y - cy;
        nx = ox + a[0]!;
        ny = oy + a[1]!;
        into.quadraticCurveTo(qx, qy, nx, ny);
        cx = qx;
        cy = qy;
        break;
      }
      case 'a': {
        nx = ox + a[5]!;
        ny = oy + a[6]!;
        const r = Math.max(Math.abs(a[0]!), Math.abs(a[1]!), Math.hypot(nx - x, ny - y) / 2);
        into.arc((x + nx) / 2, (y + ny) / 2, 2 * r, 0, 2 * Math.PI);
        into.lineTo(nx, ny);
        break;
      }
      case 'z':
        into.closePath();
        nx = startX;
        ny = startY;
        break;
    }
    if (!'csqt'.includes(cmd.toLowerCase())) {
      cx = nx;
      cy = ny;
    }
    x = nx;
    y = ny;
  };
  for (const [, letter, number] of d.matchAll(SVG_TOKEN)) {
    if (letter) {
      cmd = letter;
      args = [];
      if (letter === 'z' || letter === 'Z') run();
    } else if (cmd) {
      args.push(Number(number));
      if (args.length === SVG_ARITY[cmd.toLowerCase()]) {
        run();
        args = [];
      }
    }
  }
}
