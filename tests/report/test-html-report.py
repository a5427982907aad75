#!/usr/bin/env python3
"""test-html-report.py — `run --html` and `stress --html`, rendered by a real browser.

Makes four reports with the real binary: the five shipped experts and a
sandbox violation over a bundled capture; a stress storm of the crash corpus;
an expert whose every string attacks the page, over a capture whose file name
does too; a fault-injection campaign (`stress --inject`) over an expert that
does not survive it. Loads each in headless Chromium over the DevTools protocol (cdp.py)
and checks, with JavaScript on and then off: nothing logged as an error, no
request but the page itself, no dialog, every chart there and drawn, tables
sorting, and a full-page screenshot that is not blank (decoded with png.py:
more than one colour in the page and the bars' own colour inside every
chart). Installs nothing: without a Chromium that starts, it says why and
exits 77 (skipped).

usage: test-html-report.py EXPERT_EXEC CAPTURE WORK_DIR EXPERT.so... -- VIOLATOR.so HOSTILE.so FRAGILE.so
"""
import base64
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import png  # noqa: E402
from cdp import Browser, BrowserUnavailable  # noqa: E402

SKIP = 77
BAR = b"\x35\x67\xc6"   # svg .b0 in html-page.c: every chart draws with it
ERROR_LEVELS = ("error", "assert")

checks = 0
failures = 0


def check(ok, what, detail=""):
    global checks, failures
    checks += 1
    detail = str(detail)
    if len(detail) > 600:
        detail = detail[:600] + "..."
    print("%s %d - %s%s" % ("ok" if ok else "not ok", checks, what,
                            "" if ok or not detail else ": %s" % detail), flush=True)
    if not ok:
        failures += 1
    return ok


def run(argv, expect_status):
    p = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                       errors="replace")
    if p.returncode not in expect_status:
        print("# %s exited %d\n# stderr: %s" % (" ".join(argv), p.returncode, p.stderr.strip()))
    return p.returncode in expect_status


class Page:
    """One report loaded in a fresh tab, scripts on or off."""

    def __init__(self, browser, path, scripts):
        self.b = browser
        self.target = browser.call("Target.createTarget", url="about:blank")["targetId"]
        self.s = browser.call("Target.attachToTarget", targetId=self.target,
                              flatten=True)["sessionId"]
        first = len(browser.events)
        for domain in ("Runtime", "Log", "Network", "Page"):
            browser.call(domain + ".enable", self.s)
        browser.call("Emulation.setDeviceMetricsOverride", self.s, width=1200, height=900,
                     deviceScaleFactor=1, mobile=False)
        browser.call("Emulation.setScriptExecutionDisabled", self.s, value=not scripts)
        self.url = "file://" + path
        browser.call("Page.navigate", self.s, url=self.url)
        browser.wait_for("Page.loadEventFired", self.s)
        browser.drain(0.5)  # late console messages and requests
        self.events = [e for e in browser.events[first:] if e.get("sessionId") == self.s]

    def js(self, expression):
        r = self.b.call("Runtime.evaluate", self.s, expression=expression, returnByValue=True)
        if "exceptionDetails" in r:
            raise RuntimeError("%s: %s" % (expression, r["exceptionDetails"]))
        return r["result"].get("value")

    def errors(self):
        """Everything the page logged as an error: console, exceptions, the browser's log."""
        found = []
        for e in self.events:
            m, p = e.get("method"), e.get("params", {})
            if m == "Runtime.consoleAPICalled" and p.get("type") in ERROR_LEVELS:
                found.append("console.%s: %s" % (p["type"], [a.get("value") for a in p["args"]]))
            elif m == "Runtime.exceptionThrown":
                found.append("exception: %s" % p["exceptionDetails"].get("text"))
            elif m == "Log.entryAdded" and p["entry"]["level"] == "error":
                found.append("log: %s" % p["entry"]["text"])
        return found

    def requests(self):
        return [e["params"]["request"]["url"] for e in self.events
                if e.get("method") == "Network.requestWillBeSent"]

    def dialogs(self):
        return [e["params"].get("message") for e in self.events
                if e.get("method") == "Page.javascriptDialogOpening"]

    def screenshot(self, path):
        size = self.b.call("Page.getLayoutMetrics", self.s)["cssContentSize"]
        shot = self.b.call("Page.captureScreenshot", self.s, format="png",
                           captureBeyondViewport=True,
                           clip={"x": 0, "y": 0, "width": size["width"],
                                 "height": size["height"], "scale": 1})
        data = base64.b64decode(shot["data"])
        with open(path, "wb") as f:
            f.write(data)
        return png.decode(data)

    def close(self):
        self.b.call("Target.closeTarget", targetId=self.target)


CHARTS_JS = """Array.from(document.querySelectorAll('figure.chart')).map(function (f) {
  var svg = f.querySelector('svg'), r = svg.getBoundingClientRect();
  return {shape: f.dataset.shape, x: r.left + scrollX, y: r.top + scrollY, w: r.width, h: r.height,
          marks: svg.querySelectorAll('.b0').length};
})"""


def check_page(browser, path, name, shapes, shot_dir):
    """The checks every report gets, scripts on then off; returns the page with scripts on."""
    counts = {}
    for scripts in (True, False):
        mode = "JavaScript %s" % ("on" if scripts else "off")
        page = Page(browser, path, scripts)
        check(not page.errors(), "%s, %s: nothing logged as an error" % (name, mode),
              page.errors())
        others = [u for u in page.requests() if u != page.url]
        check(not others, "%s, %s: no request but the page itself" % (name, mode), others)
        check(not page.dialogs(), "%s, %s: no dialog opened" % (name, mode), page.dialogs())
        check(page.js("document.scripts.length") == 1, "%s, %s: one script, the page's own" % (name, mode))
        ran = page.js("document.documentElement.classList.contains('js')")
        check(ran == scripts, "%s, %s: the sorting script %s" % (
            name, mode, "ran (its CSP hash matches)" if scripts else "did not run"))
        charts = page.js(CHARTS_JS)
        found = sorted(set(c["shape"] for c in charts))
        check(found == sorted(shapes), "%s, %s: the charts drawn are %s" % (name, mode, sorted(shapes)),
              found)
        check(all(c["w"] > 100 and c["h"] > 20 and c["marks"] > 0 for c in charts),
              "%s, %s: every chart has a size and marks in it" % (name, mode), charts)
        text_rows = page.js("document.querySelectorAll('table tbody tr').length")
        counts[scripts] = (len(charts), text_rows, page.js("document.body.innerText.length"))
        shot = os.path.join(shot_dir, "%s-js-%s.png" % (name, "on" if scripts else "off"))
        image = page.screenshot(shot)
        every = png.colours(image)
        check(len(every) > 1, "%s, %s: the screenshot (%dx%d) is not blank" % (
            name, mode, image[0], image[1]), "%d colours" % len(every))
        for c in charts:
            box = (int(c["x"]), int(c["y"]), int(c["x"] + c["w"]), int(c["y"] + c["h"]))
            inside = png.colours(image, box)
            check(len(inside) > 2 and inside.get(BAR, 0) >= 20,
                  "%s, %s: the %s chart's region of the screenshot is drawn (%d pixels of bar)" % (
                      name, mode, c["shape"], inside.get(BAR, 0)), "%d colours" % len(inside))
        if scripts:
            kept = page
        else:
            page.close()
    check(counts[True] == counts[False],
          "%s: with JavaScript off, the same charts, table rows and text" % name, counts)
    return kept


def check_sorting(page, name):
    """Clicking a numeric heading sorts its column up, then down."""
    js = """(function () {
      var th = Array.from(document.querySelectorAll('table.sortable th.num')).pop();
      var col = th.cellIndex, body = th.closest('table').tBodies[0];
      function column() { return Array.from(body.rows).map(function (r) {
        var c = r.cells[col]; return parseFloat(c.getAttribute('data-v') || c.textContent); }); }
      th.click(); var up = column(); th.click(); var down = column();
      return {up: up, down: down, sort: th.getAttribute('aria-sort')};
    })()"""
    r = page.js(js)
    check(r["up"] == sorted(r["up"]) and r["down"] == sorted(r["down"], reverse=True)
          and r["sort"] == "descending" and len(r["up"]) > 1,
          "%s: a click on a numeric heading sorts its column up, a second one down" % name, r)


def main():
    if "--" not in sys.argv or len(sys.argv) < 7:
        sys.exit(__doc__)
    sep = sys.argv.index("--")
    exe, capture, work_dir = sys.argv[1:4]
    experts = sys.argv[4:sep]
    violator, hostile, fragile = sys.argv[sep + 1:sep + 4]
    scratch = tempfile.mkdtemp(prefix="html-report-")
    try:
        os.makedirs(work_dir, exist_ok=True)
    except OSError:
        pass
    if not os.access(work_dir, os.W_OK):
        # Another user's build (scripts/test-as-user.sh): keep nothing.
        print("# %s is not writable: reports and screenshots go to %s, removed after"
              % (work_dir, scratch))
        work_dir = os.path.join(scratch, "kept")
        os.makedirs(work_dir)
    try:
        try:
            browser = Browser(scratch)
        except BrowserUnavailable as e:
            print("SKIP: %s" % e)
            return SKIP
        print("# %s" % browser.version)
        try:
            test(browser, exe, capture, work_dir, experts, violator, hostile, fragile, scratch)
        finally:
            browser.close()
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    print("%d checks, %d failed" % (checks, failures))
    return 1 if failures else 0


def test(browser, exe, capture, work_dir, experts, violator, hostile, fragile, scratch):
    # The shipped experts (Protocol Coalesce writes its output), and a
    # sandbox violation with its decoded call, location and rule.
    run_html = os.path.join(work_dir, "run.html")
    outputs = os.path.join(scratch, "outputs")
    os.makedirs(outputs)
    if check(run([exe, "run", "--jobs", "2", "--profile", "coalesce", "--output-dir", outputs,
                  "--html", run_html, capture] + experts + [violator], (1,)),
             "run --html over %s with %d experts exits 1 (one violation)" % (
                 os.path.basename(capture), len(experts) + 1)):
        page = check_page(browser, run_html, "run",
                          ["hierarchy", "talkers", "response-times", "retransmissions"], work_dir)
        text = page.js("document.body.innerText")
        check("socket(AF_INET, SOCK_STREAM, 0)" in text and "rule" in text,
              "run: the violation's decoded call and rule are shown")
        # Only root may read a child's maps: an ordinary user's report
        # claims no location (README, "What is not promised").
        if os.geteuid() == 0:
            check("asm_socket+0x" in text, "run: as root, the violation's location is shown")
        else:
            check("asm_socket+0x" not in text and "location" not in text,
                  "run: not as root, no location is claimed")
        check(" of 64 MiB" in text, "run: each pool peak is shown against its quota")
        check_sorting(page, "run")
        page.close()

    # A batch: two captures, the shipped experts and the violation; the
    # page of its document (what `merge --html` draws too).
    batch_html = os.path.join(work_dir, "batch.html")
    second = os.path.join(scratch, "second.pcap")
    shutil.copyfile(capture, second)
    batch_outputs = os.path.join(scratch, "batch-outputs")
    os.makedirs(batch_outputs)
    if check(run([exe, "run", "--jobs", "2", "--profile", "coalesce", "--output-dir", batch_outputs,
                  "--html", batch_html, capture, second, "--"] + experts + [violator], (1,)),
             "run --html over two captures (a batch) exits 1 (one violation each)"):
        page = check_page(browser, batch_html, "batch", ["batch-outcomes"], work_dir)
        text = page.js("document.body.innerText")
        check("Pairs that did not complete and return 0" in text and
              text.count("sandbox-violation") >= 2,
              "batch: the violation over each capture is listed")
        check_sorting(page, "batch")
        page.close()

    stress_html = os.path.join(work_dir, "stress.html")
    # As tests/stress/test-storm.sh: ASan's quarantine is not a leak.
    os.environ["ASAN_OPTIONS"] = ":".join(filter(None, [
        os.environ.get("ASAN_OPTIONS"), "quarantine_size_mb=0:thread_local_quarantine_size_kb=0"]))
    if check(run([exe, "stress", "--corpus", "all", "--iterations", "300", "--jobs", "2",
                  "--capture", capture, "--html", stress_html], (0,)),
             "stress --html: a storm of 300 runs exits 0"):
        page = check_page(browser, stress_html, "stress", ["latency", "outcomes"], work_dir)
        marks = page.js("Array.from(document.querySelectorAll('svg .marktext'))"
                        ".map(function (t) { return t.textContent.split(' ')[0]; })")
        check(marks == ["p50", "p90", "p99"], "stress: p50, p90 and p99 are marked on the latency "
              "histogram", marks)
        check_sorting(page, "stress")
        page.close()

    # An expert that does not survive its faults: each failure's N, where the
    # child says it crashed, and the command that replays it.
    inject_html = os.path.join(work_dir, "inject.html")
    if check(run([exe, "stress", "--inject", "alloc@all,terminate@all", "--jobs", "2",
                  "--capture", capture, "--html", inject_html, fragile], (1,)),
             "stress --inject --html: an expert that does not survive exits 1"):
        page = check_page(browser, inject_html, "inject", ["faults"], work_dir)
        text = page.js("document.body.innerText")
        check("frame-sizes.so: new_bucket+0x" in text, "inject: where each run crashed is shown")
        check(" run --inject alloc@2 " in text, "inject: the command that replays a run is shown")
        check_sorting(page, "inject")
        page.close()

    # The file name is the command line's, as hostile as the expert's text.
    evil_capture = os.path.join(scratch, "<img src=x onerror=alert(11)>\udcff.pcap")
    shutil.copyfile(capture, evil_capture)
    hostile_html = os.path.join(work_dir, "hostile.html")
    if check(run([exe, "run", "--html", hostile_html, evil_capture, hostile], (0,)),
             "run --html with a hostile expert over a hostile file name exits 0"):
        page = check_page(browser, hostile_html, "hostile",
                          ["hierarchy", "talkers", "response-times", "retransmissions"], work_dir)
        bad = page.js("""Array.from(document.querySelectorAll('*')).filter(function (e) {
          return ['IMG', 'IFRAME', 'A', 'OBJECT', 'EMBED'].indexOf(e.tagName) >= 0 &&
                 !(e.tagName === 'A' && e.getAttribute('href').charAt(0) === '#') ||
                 Array.from(e.attributes).some(function (a) { return /^on/i.test(a.name); });
        }).map(function (e) { return e.outerHTML.slice(0, 80); })""")
        check(not bad, "hostile: no element or attribute came from the expert's text", bad)
        check(page.js("document.querySelectorAll('script, style').length") == 2,
              "hostile: the page's own script and stylesheet only")
        text = page.js("document.body.textContent")
        for shown in ('<script>alert("name")</script>', "\"><img src=x onerror=alert('vendor')>",
                      "\\x01\\x1B[31m red \\u202E evil ",
                      "<script>alert(1)</script>", "<img src=x onerror=alert(2)>",
                      "\"'><svg onload=alert(3)>", "</text><script>alert(4)</script>",
                      "</svg><script>alert(6)</script>", "<style>*{display:none}</style>",
                      "&lt;not-an-entity&gt;", '<a href="javascript:alert(9)">x</a>',
                      '<iframe src="file:///etc/passwd">', "a\\x01b\\x1Bc\\x7Fd", "abc\\u202Eevil",
                      "<img src=x onerror=alert(11)>\ufffd.pcap"):
            check(shown in text, "hostile: %r is shown as text" % shown)
        page.close()


if __name__ == "__main__":
    sys.exit(main())
