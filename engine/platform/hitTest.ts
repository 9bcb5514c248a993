/**
 * What a point inside a surface window means, asked by the platform when
 * input arrives (WM_NCHITTEST on Windows, injected pointer on headless).
 * `x`, `y` are physical pixels relative to the window.
 */
export type HitResult = 'element' | 'drag' | 'transparent';
export type HitTester = (window: number, x: number, y: number) => HitResult;
