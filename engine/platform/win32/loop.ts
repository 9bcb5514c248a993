/**
 * The engine thread's message loop. It blocks in GetMessageW, dispatches
 * everything queued, then runs one engine cycle (hooks.tick) and arms the
 * deadline timer. Wakes (posted by the main thread) and the deadline timer
 * are consumed by the loop itself; when a modal loop that is not ours runs
 * (a tray menu, a panel being dragged by the OS), they are dispatched to the
 * control window instead, whose procedure runs the cycle from there, so
 * commands keep flowing. No polling: an idle engine sleeps in GetMessageW.
 */
import { stepEveryTurn } from '../loopTurns';
import type { LoopHooks } from '../platform';
import { DispatchMessageW, GetMessageW, KillTimer, PeekMessageW, PM_REMOVE, PostMessageW, SetTimer, TranslateMessage, WM_TIMER } from './bindings/user32';
import { rethrowCallbackError } from './callbackErrors';
import type { ControlWindow } from './controlWindow';
import { MSG_SIZE, msgHwnd, msgMessage, msgWParam } from './structs';
import { WM_PANEPIPE_WAKE } from './wake';

/** Timer id of the loop's deadline on the control window. */
const DEADLINE_TIMER = 1;
/** USER_TIMER_MINIMUM: shorter waits are treated as due now. */
const MIN_TIMER_MS = 10;
/** Messages dispatched per cycle at most, so a flood of input cannot starve the engine. */
const MAX_DISPATCH_PER_CYCLE = 256;
const WM_QUIT = 0x0012;

export class MessageLoop {
  private hooks: LoopHooks | null = null;
  private inCycle = false;
  private timerArmed = false;
  /** Deadline is due: skip the blocking wait once. */
  private due = false;
  /** Inside our own DispatchMessageW: a cycle follows anyway. */
  private inDispatch = false;
  /** A wake to ourselves is in the queue. */
  private selfWoken = false;
  /** The cycle running was dispatched by someone else's modal loop, which never sees `due`. */
  private inModalLoop = false;

  constructor(private readonly control: ControlWindow) {
    control.on((hwnd, msg, wParam) => {
      if (hwnd !== control.hwnd) return undefined;
      if (msg === WM_PANEPIPE_WAKE || (msg === WM_TIMER && wParam === DEADLINE_TIMER)) {
        // Only reached when someone else's modal loop dispatched it.
        this.inModalLoop = true;
        try {
          this.cycle();
        } finally {
          this.inModalLoop = false;
        }
        return 0;
      }
      return undefined;
    });
  }

  run(hooks: LoopHooks, exit: () => void): void {
    this.hooks = hooks;
    const msg = Buffer.alloc(MSG_SIZE);
    this.cycle();
    stepEveryTurn(
      () => {
        if (hooks.stopped()) return false;
        if (this.due) {
          this.due = false;
          if (!this.dispatchQueued(msg)) return false;
        } else {
          const got = GetMessageW(msg, 0, 0, 0);
          rethrowCallbackError(); // sent messages and hooks run inside GetMessageW
          if (got === 0 || got === -1) return false; // WM_QUIT or error
          this.dispatch(msg);
          if (!this.dispatchQueued(msg)) return false;
        }
        this.cycle();
        return true;
      },
      () => {
        if (this.timerArmed) KillTimer(this.control.hwnd, DEADLINE_TIMER);
        this.timerArmed = false;
        this.hooks = null;
        exit();
      },
    );
  }

  /**
   * Something queued an engine event. Messages sent from other threads
   * (tray callbacks, broadcasts, WinEvents) are handled inside GetMessageW,
   * which does not return for them: post ourselves a wake so it does.
   */
  requestCycle(): void {
    if (this.inDispatch || this.selfWoken || !this.hooks) return;
    this.selfWoken = PostMessageW(this.control.hwnd, WM_PANEPIPE_WAKE, 0, 0) !== 0;
  }

  /** Run one engine cycle now (also from window procedures), unless one is already running. */
  cycle(): void {
    const hooks = this.hooks;
    if (!hooks || this.inCycle) return;
    this.selfWoken = false;
    this.inCycle = true;
    try {
      hooks.tick();
    } finally {
      this.inCycle = false;
    }
    this.arm(hooks.stopped() ? undefined : hooks.nextDeadline());
  }

  /**
   * Run a cycle each time the main thread raises the wake flag (its posted
   * wake cannot be pumped from inside a window procedure) until the engine
   * stops or `timeoutMs` passes.
   */
  cycleUntilStopped(wakeFlag: Int32Array, timeoutMs: number): void {
    const hooks = this.hooks;
    if (!hooks) return;
    const deadline = performance.now() + timeoutMs;
    while (!hooks.stopped() && performance.now() < deadline) {
      if (Atomics.load(wakeFlag, 0) === 0) Atomics.wait(wakeFlag, 0, 0, 20);
      else this.cycle();
    }
  }

  private arm(deadline: number | undefined): void {
    if (deadline === undefined) {
      if (this.timerArmed) KillTimer(this.control.hwnd, DEADLINE_TIMER);
      this.timerArmed = false;
      return;
    }
    const ms = Math.ceil(deadline - performance.now());
    if (ms < MIN_TIMER_MS / 2) {
      this.due = true;
      // A modal loop only dispatches messages: the next cycle (queued work left) needs one.
      if (this.inModalLoop) PostMessageW(this.control.hwnd, WM_PANEPIPE_WAKE, 0, 0);
      return;
    }
    SetTimer(this.control.hwnd, DEADLINE_TIMER, Math.max(MIN_TIMER_MS, ms), 0);
    this.timerArmed = true;
  }

  /** Dispatch what is already queued, without blocking. False on WM_QUIT. */
  private dispatchQueued(msg: Buffer): boolean {
    for (let i = 0; i < MAX_DISPATCH_PER_CYCLE && PeekMessageW(msg, 0, 0, 0, PM_REMOVE); i++) {
      if (msgMessage(msg) === WM_QUIT) return false;
      this.dispatch(msg);
    }
    rethrowCallbackError();
    return true;
  }

  private dispatch(msg: Buffer): void {
    const message = msgMessage(msg);
    if (msgHwnd(msg) === this.control.hwnd) {
      // The cycle that follows does what these ask for.
      if (message === WM_PANEPIPE_WAKE) return;
      if (message === WM_TIMER && msgWParam(msg) === DEADLINE_TIMER) {
        KillTimer(this.control.hwnd, DEADLINE_TIMER);
        this.timerArmed = false;
        return;
      }
    }
    this.inDispatch = true;
    try {
      TranslateMessage(msg);
      DispatchMessageW(msg);
    } finally {
      this.inDispatch = false;
    }
    rethrowCallbackError();
  }
}
