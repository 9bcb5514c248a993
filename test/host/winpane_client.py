#!/usr/bin/env python3
"""A winpane-host client, written the way a Python program drives winpane-host:
spawn the host, write one JSON-RPC request per line on its stdin, read lines
from its stdout, telling responses (they have an "id") from event
notifications ("method": "event", no "id").

Usage: winpane_client.py HOST_COMMAND...   (e.g. node dist/cli/main.js host)

It runs a scripted session and checks every answer itself. When it needs
input from outside (a click on a panel, a tray click, a menu pick) it prints
`WAIT <what> ...` on its own stdout and waits for the event; the test driving
it injects that input through the engine's test hooks. At the end it prints
`RESULT <json>` and exits 0; any failed check exits 1 with the reason on stderr.
"""
import json
import queue
import subprocess
import sys
import threading
import time


class HostClient:
    def __init__(self, argv):
        self.proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, bufsize=1)
        self.lines = queue.Queue()
        self.events = []
        self.next_id = 1
        threading.Thread(target=self._read, daemon=True).start()
        threading.Thread(target=self._drain_stderr, daemon=True).start()
        self.stderr = []

    def _read(self):
        for line in self.proc.stdout:
            self.lines.put(line)
        self.lines.put(None)

    def _drain_stderr(self):
        for line in self.proc.stderr:
            self.stderr.append(line)

    def _next_message(self, timeout):
        line = self.lines.get(timeout=timeout)
        if line is None:
            raise EOFError("host closed stdout")
        msg = json.loads(line)
        assert msg.get("jsonrpc") == "2.0", f"not JSON-RPC 2.0: {line!r}"
        return msg

    def send_raw(self, text):
        self.proc.stdin.write(text + "\n")
        self.proc.stdin.flush()

    def call_raw(self, text, timeout=10):
        """Send a line and return the next response (events seen meanwhile are kept)."""
        self.send_raw(text)
        return self._response(timeout)

    def _response(self, timeout):
        deadline = time.time() + timeout
        while True:
            msg = self._next_message(max(0.01, deadline - time.time()))
            if "id" in msg:
                return msg
            assert msg.get("method") == "event", f"a notification that is not an event: {msg}"
            self.events.append(msg["params"])

    def request(self, method, params=None, timeout=10):
        rid = self.next_id
        self.next_id += 1
        req = {"jsonrpc": "2.0", "method": method, "params": params if params is not None else {}, "id": rid}
        resp = self.call_raw(json.dumps(req), timeout)
        assert resp["id"] == rid, f"response id {resp['id']} for request {rid}"
        return resp

    def call(self, method, params=None):
        resp = self.request(method, params)
        if "error" in resp:
            raise AssertionError(f"{method} failed: {resp['error']}")
        return resp["result"]

    def wait_event(self, pred, timeout=10):
        deadline = time.time() + timeout
        while True:
            for i, ev in enumerate(self.events):
                if pred(ev):
                    return self.events.pop(i)
            remaining = deadline - time.time()
            if remaining <= 0:
                raise AssertionError(f"no matching event within {timeout}s; saw {self.events}")
            try:
                msg = self._next_message(remaining)
            except queue.Empty:
                continue
            assert "id" not in msg, f"unexpected response {msg}"
            self.events.append(msg["params"])

    def close(self, timeout=10):
        self.proc.stdin.close()
        return self.proc.wait(timeout)


def expect_error(host, code, method=None, params=None, raw=None):
    resp = host.call_raw(raw) if raw is not None else host.request(method, params)
    assert "error" in resp, f"expected error {code}, got {resp}"
    assert resp["error"]["code"] == code, f"expected error {code}, got {resp['error']}"
    assert isinstance(resp["error"]["message"], str) and resp["error"]["message"]
    return resp


def wait_outside(what, *args):
    print("WAIT", what, *args, flush=True)


def main():
    host = HostClient(sys.argv[1:])
    r = {}

    # --- create, elements, show ---
    hud = host.call("create_hud", {"placement": {"monitor": {"index": 0, "anchor": "top_right", "margin": 10}}, "width": 200, "height": 60})
    assert hud == {"surface_id": "s1"}, hud
    assert host.call("set_rect", {"surface_id": "s1", "key": "bg", "x": 0, "y": 0, "width": 200, "height": 60, "fill": "#1a1a2eee", "corner_radius": 8}) == {}
    assert host.call("set_text", {"surface_id": "s1", "key": "t", "text": "Hello", "x": 10, "y": 10, "font_size": 20, "color": "ff8800", "bold": True}) == {}
    assert host.call("fade_in", {"surface_id": "s1", "duration_ms": 0}) == {}

    panel = host.call("create_panel", {"placement": {"position": {"x": 100, "y": 100}}, "width": 200, "height": 100, "draggable": True, "drag_height": 20})
    assert panel == {"surface_id": "s2"}, panel
    host.call("set_rect", {"surface_id": "s2", "key": "bg", "x": 0, "y": 0, "width": 200, "height": 100, "fill": "#202020"})
    host.call("set_rect", {"surface_id": "s2", "key": "btn", "x": 20, "y": 40, "width": 80, "height": 40, "fill": "#3366ff", "interactive": True})
    host.call("set_text", {"surface_id": "s2", "key": "label", "text": "OK", "x": 30, "y": 50, "font_size": 16})
    host.call("show", {"surface_id": "s2"})
    r["position"] = host.call("get_position", {"surface_id": "s2"})
    assert r["position"] == {"x": 100, "y": 100}, r["position"]
    host.call("set_position", {"surface_id": "s2", "x": 120, "y": 110})
    assert host.call("get_position", {"surface_id": "s2"}) == {"x": 120, "y": 110}
    # winpane reports every move of a window, set_position's too.
    r["set_moved"] = host.wait_event(lambda e: e["type"] == "surface_moved")
    assert r["set_moved"] == {"type": "surface_moved", "surface_id": "s2", "x": 120, "y": 110}, r["set_moved"]
    host.call("set_opacity", {"surface_id": "s2", "opacity": 1.0})
    host.call("set_capture_excluded", {"surface_id": "s2", "excluded": False})
    r["backdrop_supported"] = host.call("backdrop_supported")
    assert isinstance(r["backdrop_supported"].get("supported"), bool)
    host.call("remove_element", {"surface_id": "s1", "key": "does-not-exist"})

    # top-level x/y placement fallback, set_size, destroy
    tmp = host.call("create_hud", {"x": 5, "y": 5, "width": 10, "height": 10})
    assert tmp == {"surface_id": "s3"}, tmp
    host.call("set_size", {"surface_id": "s3", "width": 20, "height": 20})
    host.call("destroy", {"surface_id": "s3"})
    expect_error(host, -32602, "show", {"surface_id": "s3"})

    # --- a click on the panel's button, injected from outside ---
    wait_outside("click", 120 + 50, 110 + 60)
    r["clicked"] = host.wait_event(lambda e: e["type"] == "element_clicked")
    assert r["clicked"] == {"type": "element_clicked", "surface_id": "s2", "key": "btn"}, r["clicked"]

    # --- a drag by the panel's drag region (top 20 px) ---
    wait_outside("drag", 150, 115, 250, 215)
    r["moved"] = host.wait_event(lambda e: e["type"] == "surface_moved")
    assert r["moved"] == {"type": "surface_moved", "surface_id": "s2", "x": 220, "y": 210}, r["moved"]
    assert host.call("get_position", {"surface_id": "s2"}) == {"x": 220, "y": 210}

    # --- a tray with a menu ---
    tray = host.call("create_tray", {"tooltip": "winpane client"})
    assert tray == {"surface_id": "t1"}, tray
    host.call("set_tooltip", {"surface_id": "t1", "tooltip": "still here"})
    host.call("set_menu", {"surface_id": "t1", "items": [{"id": 1, "label": "Settings"}, {"id": 2, "label": "Quit", "enabled": True}]})
    host.call("set_popup", {"surface_id": "t1", "panel_surface_id": "s2"})
    expect_error(host, -32602, "set_popup", {"surface_id": "t1", "panel_surface_id": "s1"})
    wait_outside("tray", "t1")
    r["tray_clicked"] = host.wait_event(lambda e: e["type"] == "tray_clicked")
    assert r["tray_clicked"]["button"] == "left", r["tray_clicked"]
    wait_outside("menu", "t1", "2")
    r["menu"] = host.wait_event(lambda e: e["type"] == "tray_menu_item_clicked")
    assert r["menu"]["item_id"] == 2, r["menu"]

    # --- panepipe extensions ---
    host.call("set_draw", {"surface_id": "s1", "key": "dot", "ops": [{"type": "ellipse", "cx": 180, "cy": 30, "rx": 8, "ry": 8, "fill": "#00ff00"}]})
    m = host.call("measure_text", {"text": "Hello", "font_size": 20})
    assert m["width"] > 0 and m["height"] > 0, m
    host.call("batch", {"requests": [{"method": "set_text", "params": {"surface_id": "s1", "key": "t", "text": "Batched", "x": 10, "y": 10, "font_size": 20}}, {"method": "show", "params": {"surface_id": "s1"}}]})
    expect_error(host, -32602, "batch", {"requests": [{"method": "show", "params": {"surface_id": "s1"}}, {"method": "show", "params": {"surface_id": "s42"}}]})

    # --- every error code ---
    r["errors"] = {}
    r["errors"]["-32700"] = expect_error(host, -32700, raw="{this is not json")
    assert r["errors"]["-32700"]["id"] is None
    r["errors"]["-32600"] = expect_error(host, -32600, raw=json.dumps({"jsonrpc": "1.0", "method": "show", "params": {"surface_id": "s1"}, "id": 77}))
    assert r["errors"]["-32600"]["id"] == 77
    r["errors"]["-32601"] = expect_error(host, -32601, "no_such_method", {})
    r["errors"]["-32602"] = expect_error(host, -32602, "set_text", {"surface_id": "s1", "key": "t", "text": "no size", "x": 0, "y": 0})
    assert "font_size" in r["errors"]["-32602"]["error"]["message"]
    expect_error(host, -32602, "show", {"surface_id": "s99"})
    expect_error(host, -32602, "set_text", {"surface_id": "s1", "key": "t", "text": "x", "x": 0, "y": 0, "font_size": 12, "color": "#12"})
    expect_error(host, -32602, "set_source_region", {"surface_id": "s1", "x": 0, "y": 0, "width": 10, "height": 10})
    expect_error(host, -32602, "create_hud", {"placement": {"monitor": {"index": 0, "anchor": "middle"}}, "width": 10, "height": 10})
    r["errors"]["-32603"] = expect_error(host, -32603, "create_pip", {"source_hwnd": 987654, "x": 0, "y": 0, "width": 100, "height": 80})

    # the host keeps working after errors
    assert host.call("hide", {"surface_id": "s2"}) == {}

    print("RESULT", json.dumps(r), flush=True)
    wait_outside("eof")
    sys.stdin.readline()  # the test looks at the engine first, then lets us close
    code = host.close()
    assert code == 0, f"host exited {code}: {''.join(host.stderr)}"


if __name__ == "__main__":
    try:
        main()
    except Exception as exc:  # report and fail
        import traceback
        traceback.print_exc()
        sys.exit(1)
