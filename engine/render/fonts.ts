import { existsSync } from 'node:fs';
import { GlobalFonts } from '@napi-rs/canvas';
import { BoundedCache } from './boundedCache';

/** Default faces, best first: Windows' UI font and its stand-ins (Tahoma under Wine), then faces common on Linux. */
const SANS = ['Segoe UI', 'Arial', 'Tahoma', 'DejaVu Sans', 'Liberation Sans', 'Noto Sans', 'Helvetica'];

/**
 * Skia resolves a generic CSS family (and any unknown name) to an arbitrary
 * face — on a stock Debian it is "DejaVu Math TeX Gyre" — so generic names
 * are mapped to real faces here.
 */
const GENERIC = new Map<string, string[]>([
  ['sans-serif', SANS],
  ['system-ui', SANS],
  ['serif', ['Times New Roman', 'DejaVu Serif', 'Liberation Serif', 'Noto Serif']],
  ['monospace', ['Consolas', 'Cascadia Mono', 'DejaVu Sans Mono', 'Liberation Mono', 'Noto Sans Mono', 'Courier New']],
]);

/** Registered when Skia sees no default face at all (system font loading disabled, bare containers). */
const FALLBACK_FILES = [
  '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf',
  '/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf',
  '/usr/share/fonts/dejavu/DejaVuSans.ttf',
  '/usr/share/fonts/dejavu/DejaVuSans-Bold.ttf',
  '/usr/share/fonts/TTF/DejaVuSans.ttf',
  '/usr/share/fonts/TTF/DejaVuSans-Bold.ttf',
];

/** Lower-cased family → the name Skia knows it by; Skia's matching is case-sensitive, CSS's is not. */
let known: Map<string, string> | null = null;
const familyLists = new BoundedCache<string, string>(256);

function faceKeys(): Set<string> {
  const keys = new Set<string>();
  for (const { family, styles } of GlobalFonts.families) {
    for (const s of styles) keys.add(`${family}\n${s.weight}\n${s.width}\n${s.style}`);
  }
  return keys;
}

function knownFamilies(): Map<string, string> {
  if (known) return known;
  const load = (): Map<string, string> => new Map(GlobalFonts.families.map((f) => [f.family.toLowerCase(), f.family]));
  known = load();
  if (!SANS.some((name) => known!.has(name.toLowerCase()))) {
    for (const file of FALLBACK_FILES) if (existsSync(file)) GlobalFonts.registerFromPath(file);
    known = load();
  }
  return known;
}

/**
 * Registers font files (the engine's `--font` flag) for every thread of the
 * process — Skia's font collection is process-wide — and returns the family
 * names they provide. Throws on a file Skia cannot load.
 */
export function registerFonts(files: readonly string[]): string[] {
  const families = new Set<string>();
  for (const file of files) {
    const before = faceKeys();
    if (!GlobalFonts.registerFromPath(file)) throw new Error(`cannot load font file ${file}`);
    // Skia does not say which family a file provides; the faces that appeared do.
    for (const key of faceKeys()) if (!before.has(key)) families.add(key.slice(0, key.indexOf('\n')));
  }
  known = null;
  familyLists.clear();
  return [...families];
}

/** The family text uses when none is given, or when none of the given ones exists. */
export function defaultFontFamily(): string {
  const families = knownFamilies();
  for (const name of SANS) {
    const registered = families.get(name.toLowerCase());
    if (registered) return registered;
  }
  return families.values().next().value ?? 'sans-serif';
}

/**
 * A canvas font-family list for a protocol `fontFamily` (one name or a CSS
 * list): names matched case-insensitively, generic names mapped to real
 * faces, and the default family appended so text never falls to a random face.
 */
export function fontFamilyList(fontFamily: string | undefined): string {
  const key = fontFamily ?? '';
  let list = familyLists.get(key);
  if (list === undefined) {
    const families = knownFamilies();
    const names: string[] = [];
    for (const raw of key.split(',')) {
      // The canvas font parser has no escapes: quotes and commas cannot be part of a name.
      const name = raw.replace(/["']/g, '').trim();
      const generic = GENERIC.get(name.toLowerCase());
      const face = (generic ?? [name]).map((c) => families.get(c.toLowerCase())).find((f) => f !== undefined);
      // An unknown name stays (Skia skips faces it cannot find); an unmatched generic one goes.
      if (face) names.push(face);
      else if (name && !generic) names.push(name);
    }
    names.push(defaultFontFamily());
    list = [...new Set(names)].map((n) => `"${n}"`).join(', ');
    familyLists.set(key, list);
  }
  return list;
}
