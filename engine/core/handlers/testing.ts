import { PanepipeError } from '../../../protocol';
import type { TestInput } from '../../platform/platform';
import type { EngineContext, Handler } from '../context';
import { toPhysical, toPhysicalPoint } from '../geometry';
import type { Surface } from '../surface';

/** A virtual foreign window's color when the test gives none. */
const FOREIGN_WINDOW_COLOR = '#3a6ea5';

type TestOp = 'testPointer' | 'testTrayClick' | 'testTrayMenuSelect' | 'testCreateWindow' | 'testMoveWindow' | 'testCloseWindow' | 'testUpdateWindow';

function testInput(ctx: EngineContext, op: string): TestInput {
  if (!ctx.testInput) {
    throw new PanepipeError('unsupported', `${op}: test hooks need a headless engine started with --test-input`);
  }
  return ctx.testInput;
}

/** The simulated user may click any tray icon, whichever client owns it. */
function anyTray(ctx: EngineContext, op: string, id: string): Surface {
  testInput(ctx, op);
  const tray = ctx.registry.get(id);
  if (tray?.kind !== 'tray') throw new PanepipeError('unknownSurface', `${op}: no tray "${id}"`);
  return tray;
}

function unknownWindow(op: string, window: number): PanepipeError {
  return new PanepipeError('unknownWindow', `${op}: window ${window} does not exist`);
}

/** Simulated input and window changes take effect at once, as if the user acted between two commands. */
function immediate<O extends TestOp>(handler: Handler<O>): Handler<O> {
  return {
    ...handler,
    apply(ctx, cmd, target, inv) {
      const result = handler.apply(ctx, cmd, target, inv);
      ctx.handlePlatformEvents();
      return result;
    },
  };
}

const handlers: { [O in TestOp]: Handler<O> } = {
  testPointer: {
    check: (ctx, cmd) => void testInput(ctx, cmd.op),
    apply(ctx, cmd) {
      const input = testInput(ctx, cmd.op);
      const p = toPhysicalPoint(ctx.monitors(), cmd.x, cmd.y);
      const button = cmd.button ?? 'left';
      if (cmd.action === 'click') {
        input.injectPointer('down', p.x, p.y, button);
        input.injectPointer('up', p.x, p.y, button);
      } else {
        input.injectPointer(cmd.action, p.x, p.y, button);
      }
    },
  },
  testTrayClick: {
    check: (ctx, cmd) => void anyTray(ctx, cmd.op, cmd.surface),
    apply: (ctx, cmd) => testInput(ctx, cmd.op).clickTray(anyTray(ctx, cmd.op, cmd.surface).handle, cmd.button, cmd.double ?? false),
  },
  testTrayMenuSelect: {
    check(ctx, cmd) {
      const tray = anyTray(ctx, cmd.op, cmd.surface);
      const item = tray.tray!.menu.find((i) => i.id === cmd.itemId);
      if (!item || item.separator || item.enabled === false) {
        throw new PanepipeError('invalidCommand', `testTrayMenuSelect: no enabled menu item "${cmd.itemId}"`);
      }
    },
    apply: (ctx, cmd) => void testInput(ctx, cmd.op).selectTrayMenuItem(anyTray(ctx, cmd.op, cmd.surface).handle, cmd.itemId),
  },
  testCreateWindow: {
    check: (ctx, cmd) => void testInput(ctx, cmd.op),
    apply(ctx, cmd) {
      const bounds = toPhysical(ctx.monitors(), cmd);
      return { window: testInput(ctx, cmd.op).createForeignWindow(bounds, cmd.color ?? FOREIGN_WINDOW_COLOR, cmd.title ?? '') };
    },
  },
  testMoveWindow: {
    check(ctx, cmd) {
      if (!testInput(ctx, cmd.op) || !ctx.platform.foreignWindowBounds(cmd.window)) throw unknownWindow(cmd.op, cmd.window);
    },
    apply(ctx, cmd) {
      const current = ctx.platform.foreignWindowBounds(cmd.window)!;
      const bounds = toPhysical(ctx.monitors(), {
        x: cmd.x,
        y: cmd.y,
        width: cmd.width ?? current.width,
        height: cmd.height ?? current.height,
      });
      testInput(ctx, cmd.op).moveForeignWindow(cmd.window, bounds);
    },
  },
  testCloseWindow: {
    check(ctx, cmd) {
      if (!testInput(ctx, cmd.op) || !ctx.platform.foreignWindowBounds(cmd.window)) throw unknownWindow(cmd.op, cmd.window);
    },
    apply: (ctx, cmd) => void testInput(ctx, cmd.op).closeForeignWindow(cmd.window),
  },
  testUpdateWindow: {
    check(ctx, cmd) {
      if (!testInput(ctx, cmd.op) || !ctx.platform.foreignWindowBounds(cmd.window)) throw unknownWindow(cmd.op, cmd.window);
    },
    apply: (ctx, cmd) => void testInput(ctx, cmd.op).updateForeignWindow(cmd.window, { color: cmd.color, minimized: cmd.minimized }),
  },
};

export const testHandlers = Object.fromEntries(Object.entries(handlers).map(([op, handler]) => [op, immediate(handler as Handler<TestOp>)])) as typeof handlers;
