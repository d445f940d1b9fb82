#!/usr/bin/env python3
"""`gcmap review` driven in a real browser (headless Chromium through Selenium), then the
decisions applied by `gcmap run --decisions`, exported, imported, and the server's security
and durability.

Usage: Tests/browser/review_test.py GCMAP FIXTURES WORK [--screenshot PNG]
GCMAP is the gcmap binary, FIXTURES the generated fixture folder (scripts/make-fixtures), WORK
an empty scratch folder. Exits non-zero with the failed check's message.
"""
import argparse
import csv
import json
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

from selenium import webdriver
from selenium.common.exceptions import (NoAlertPresentException, NoSuchElementException,
                                        StaleElementReferenceException)
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

ROOT = Path(__file__).resolve().parents[2]


# The page re-renders its list after every decision: an element found a moment before may be
# gone, so waits look again.
TRANSIENT = (StaleElementReferenceException, NoSuchElementException)


def wait(driver, seconds=20):
    return WebDriverWait(driver, seconds, ignored_exceptions=TRANSIENT)


def check(condition, message):
    if not condition:
        raise AssertionError(message)


def rows(folder):
    with open(os.path.join(folder, "passages.csv"), newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def run(gcmap, fixtures, out, *extra):
    status = subprocess.run([gcmap, "run", fixtures, "--out", out, "--no-cache", *extra],
                            capture_output=True, text=True)
    check(status.returncode in (0, 2), f"gcmap run failed: {status.stderr[-2000:]}")
    return status.stderr


class Server:
    """`gcmap review OUT` in the background; its address from what it prints."""

    def __init__(self, gcmap, out, store=None):
        command = [gcmap, "review", out, "--port", "0"] + (["--store", store] if store else [])
        self.process = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)
        line = ""
        deadline = time.time() + 60
        while "open http" not in line:
            line = self.process.stderr.readline()
            check(line or self.process.poll() is None, "gcmap review stopped before serving")
            check(time.time() < deadline, "gcmap review printed no address in 60 s")
        self.url = re.search(r"(http://\S+)", line).group(1)
        self.base, self.token = re.match(r"(http://[^/]+)/\?token=(\w+)", self.url).groups()
        self.port = int(self.base.rsplit(":", 1)[1])
        threading.Thread(target=self.process.stderr.read, daemon=True).start()

    def request(self, path, body=None, headers=None, token=True, content_type="application/json"):
        all_headers = {"Content-Type": content_type} if body is not None else {}
        if token:
            all_headers["X-GCMap-Token"] = self.token
        all_headers.update(headers or {})
        data = body if isinstance(body, bytes) or body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.base + path, data=data, headers=all_headers,
                                         method="POST" if body is not None else "GET")
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()

    def stop(self, sig=signal.SIGINT):
        self.process.send_signal(sig)
        return self.process.wait(timeout=30)


def browser():
    options = webdriver.ChromeOptions()
    for flag in ["--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1500,1000",
                 "--disable-dev-shm-usage"]:
        options.add_argument(flag)
    options.binary_location = "/usr/bin/chromium"
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)


def open_app(driver, server, name):
    driver.get(server.url)
    wait(driver, 30).until(
        lambda d: d.find_element(By.ID, "reviewer-name").is_displayed()
        or d.execute_script("return document.body.dataset.ready") == "yes")
    if driver.execute_script("return document.body.dataset.ready") != "yes":
        driver.find_element(By.ID, "reviewer-name").send_keys(name)
        driver.find_element(By.ID, "reviewer-save").click()
    wait(driver, 30).until(
        lambda d: d.execute_script("return document.body.dataset.ready") == "yes")


def click_cell(driver, document, category):
    """Clicks a matrix cell, scrolled to the middle of the matrix (clear of its sticky
    document column)."""
    cell = driver.find_element(By.CSS_SELECTOR, f'td[data-doc="{document}"][data-cat="{category}"]')
    driver.execute_script("arguments[0].scrollIntoView({block: 'center', inline: 'center'})", cell)
    cell.click()


def passage_box(driver, passage, category=""):
    selector = f'.passage[data-passage="{passage}"]'
    if category:
        selector += f'[data-cat="{category}"]'
    return wait(driver).until(lambda d: d.find_element(By.CSS_SELECTOR, selector))


def wait_status(driver, passage, category, word):
    wait(driver).until(
        lambda d: word in passage_box(d, passage, category).find_element(
            By.CLASS_NAME, "status").text)


def choose_passages(before):
    """Four (document, passage, category) of gcmap's labels on different passages, and a
    passage with a category it lacks, all in documents with labels."""
    labelled = [r for r in before if re.fullmatch(r"O\d\d", r["label"]) and r["part"] == "body"]
    seen, picks = set(), []
    for r in labelled:
        if r["passage"] in seen:
            continue
        seen.add(r["passage"])
        picks.append((r["document"], r["passage"], r["label"]))
    check(len(picks) >= 4, f"the fixtures give only {len(picks)} labelled passages")
    confirm, reject, change, add = picks[:4]
    labels_of_add = {r["label"] for r in before if r["passage"] == add[1]}
    missing = next(f"O{n:02d}" for n in range(1, 24) if f"O{n:02d}" not in labels_of_add)
    new_for_change = next(f"O{n:02d}" for n in range(1, 24)
                          if f"O{n:02d}" not in {r["label"] for r in before if r["passage"] == change[1]})
    return confirm, reject, change, new_for_change, (add[0], add[1], missing)


def drive_four_decisions(driver, server, before, screenshot):
    confirm, reject, change, new_category, add = choose_passages(before)
    open_app(driver, server, "Ada Analyst")
    check("Ada Analyst" in driver.find_element(By.ID, "who").text, "the reviewer's name is not shown")
    # Confirm with the keyboard: the cell's passages, j to the passage, c.
    click_cell(driver, confirm[0], confirm[2])
    boxes = driver.find_elements(By.CSS_SELECTOR, "#passages .passage")
    order = [b.get_attribute("data-passage") for b in boxes]
    body = driver.find_element(By.TAG_NAME, "body")
    for _ in range(order.index(confirm[1])):
        body.send_keys("j")
    check(passage_box(driver, confirm[1], confirm[2]).get_attribute("class").find("current") >= 0,
          "j did not move to the passage")
    body.send_keys("c")
    wait_status(driver, confirm[1], confirm[2], "confirm")
    # Reject with the button, with a note.
    click_cell(driver, reject[0], reject[2])
    box = passage_box(driver, reject[1], reject[2])
    box.find_element(By.CLASS_NAME, "note").send_keys("methodology, not policy")
    box.find_element(By.CLASS_NAME, "reject").click()
    wait_status(driver, reject[1], reject[2], "reject")
    # Change one label to another category.
    click_cell(driver, change[0], change[2])
    box = passage_box(driver, change[1], change[2])
    Select(box.find_element(By.CLASS_NAME, "change-to")).select_by_value(new_category)
    box.find_element(By.CLASS_NAME, "change").click()
    wait_status(driver, change[1], change[2], "change")
    # Find a passage by its words and add a category gcmap missed.
    text = next(r["text"] for r in before if r["passage"] == add[1])
    Select(driver.find_element(By.ID, "search-doc")).select_by_value(add[0])
    driver.find_element(By.ID, "search-text").send_keys(" ".join(text.split()[:4]))
    driver.find_element(By.ID, "search-go").click()
    box = passage_box(driver, add[1])
    Select(box.find_element(By.CLASS_NAME, "add-cat")).select_by_value(add[2])
    box.find_element(By.CLASS_NAME, "add").click()
    wait(driver).until(
        lambda d: add[2] in passage_box(d, add[1]).find_element(By.CLASS_NAME, "meta").text
        or add[2] in d.find_element(By.ID, "toast").text)
    progress = driver.find_element(By.ID, "progress").text
    check(re.match(r"3 labels reviewed", progress), f"counts after three label decisions: {progress}")
    check(driver.find_elements(By.CSS_SELECTOR, f'tr[data-precision="{confirm[2]}"]'),
          "no precision estimate for the confirmed category")
    click_cell(driver, confirm[0], confirm[2])
    if screenshot:
        driver.save_screenshot(screenshot)
    return confirm, reject, change, new_category, add


def check_applied(gcmap, fixtures, work, store, decisions):
    confirm, reject, change, new_category, add = decisions
    out = os.path.join(work, "applied")
    say = run(gcmap, fixtures, out, "--decisions", store)
    check("4 of 4 applied" in say, f"gcmap run --decisions said: {say[-500:]}")
    after = rows(out)
    marks = {(r["passage"], r["label"]): r["review"] for r in after if r["review"]}
    expected = {
        (confirm[1], confirm[2]): "confirmed",
        (reject[1], reject[2]): "rejected",
        (change[1], new_category): "changed",
        (add[1], add[2]): "added",
    }
    check(marks == expected, f"review marks {marks} != {expected}")
    check(not any(r["passage"] == change[1] and r["label"] == change[2] for r in after),
          "the changed label is still a label")
    manifest = json.load(open(os.path.join(out, "run.json")))
    info = manifest["decisions"]
    check(info["applied"] == 4 and info["decisions"] == 4 and info["unmatched"] == [],
          f"run.json decisions: {info}")
    # Coverage counted again: the rejected label's passage no longer counts.
    before_cells = {r["document"]: r for r in csv.DictReader(open(os.path.join(work, "run", "coverage.csv")))}
    after_cells = {r["document"]: r for r in csv.DictReader(open(os.path.join(out, "coverage.csv")))}
    column = f"{reject[2]}_passages"
    delta = int(before_cells[reject[0]][column]) - int(after_cells[reject[0]][column])
    expected_delta = 1 + (1 if (change[0], change[2]) == (reject[0], reject[2]) else 0)
    check(delta == expected_delta, f"{reject[0]} {column}: {delta} fewer, not {expected_delta}")
    added_column = f"{add[2]}_passages"
    check(int(after_cells[add[0]][added_column]) == int(before_cells[add[0]][added_column]) + 1,
          "the added category is not counted")
    report = open(os.path.join(out, "report.html"), encoding="utf-8").read()
    evidence = open(os.path.join(out, "evidence.md"), encoding="utf-8").read()
    for name, text in [("report.html", report), ("evidence.md", evidence)]:
        for mark in ["reviewed: confirmed by an analyst", "reviewed: added by an analyst",
                     "reviewed: category set by an analyst"]:
            check(mark in text, f"{name} does not mark reviewed evidence ({mark})")
    check("Analysts&#39; review" in report or "Analysts' review" in report,
          "report.html's Method section says nothing of the review")
    return out


def check_export_import(gcmap, work, store):
    exported = subprocess.run([gcmap, "decisions", "export", store], capture_output=True,
                              text=True, check=True).stdout
    lines = list(csv.DictReader(exported.splitlines()))
    check(len(lines) == 4, f"export has {len(lines)} decisions, not 4")
    check(sorted(l["decision"] for l in lines) == ["add", "change", "confirm", "reject"],
          "export lists other decisions")
    csv_path = os.path.join(work, "decisions.csv")
    Path(csv_path).write_text(exported, encoding="utf-8")
    copy = os.path.join(work, "copy.sqlite")
    subprocess.run([gcmap, "decisions", "import", csv_path, "--into", copy], check=True,
                   capture_output=True)
    again = subprocess.run([gcmap, "decisions", "export", copy], capture_output=True, text=True,
                           check=True).stdout
    check(again == exported, "export -> import -> export changed the decisions")
    # Importing the same file again adds nothing; another analyst's opposite decision is a
    # conflict, listed.
    other = exported.replace("Ada Analyst", "Ben Reviewer").replace(",confirm,", ",reject,")
    other = re.sub(r"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z)", "2099-01-01T00:00:00.000Z", other)
    other_path = os.path.join(work, "other.csv")
    Path(other_path).write_text(other, encoding="utf-8")
    merged = subprocess.run([gcmap, "decisions", "import", csv_path, other_path, "--into", copy],
                            capture_output=True, text=True)
    check(merged.returncode == 3 and "conflict:" in merged.stdout,
          f"a conflicting import: status {merged.returncode}, {merged.stdout}{merged.stderr}")
    check("4 decisions added, 4 already" in merged.stderr, f"import said: {merged.stderr}")


def passage_hash(text):
    """gcmap's key of a passage: SHA-256 of its text lower-cased, whitespace folded."""
    import hashlib
    return hashlib.sha256(" ".join(text.lower().split()).encode()).hexdigest()


def check_other_pipeline(gcmap, fixtures, work, store):
    """Another pipeline keeps every decision whose passage still exists and lists the others."""
    exported = subprocess.run([gcmap, "decisions", "export", store], capture_output=True,
                              text=True, check=True).stdout
    decisions = list(csv.DictReader(exported.splitlines()))
    stricter = Path(work) / "stricter.yml"
    text = (ROOT / "Pipelines" / "default.yml").read_text(encoding="utf-8")
    stricter.write_text(re.sub(r"\n  threshold: [0-9.]+", "\n  threshold: 0.9", text), encoding="utf-8")
    for pipeline in [stricter, ROOT / "Pipelines" / "keywords-only.yml"]:
        out = os.path.join(work, "other-" + pipeline.stem)
        run(gcmap, fixtures, out, "--decisions", store, "--pipeline", str(pipeline))
        shas = {r["document"]: r["sha256"] for r in csv.DictReader(open(os.path.join(out, "coverage.csv")))}
        present = {(shas.get(r["document"]), passage_hash(r["text"])) for r in rows(out)}
        expected = sum((d["document_sha256"], d["passage_hash"]) in present for d in decisions)
        info = json.load(open(os.path.join(out, "run.json")))["decisions"]
        check(info["applied"] == expected and len(info["unmatched"]) == 4 - expected,
              f"{pipeline.name}: applied {info['applied']}, expected {expected}: {info}")
        check(len([r for r in rows(out) if r["review"]]) >= expected,
              f"{pipeline.name}: review marks lost")
        if pipeline == stricter:
            check(expected == 4, "a pipeline with the same passages lost a decision")


def check_security(server, driver):
    status, _ = server.request("/api/run", token=False)
    check(status == 403, f"no token: {status}")
    status, _ = server.request("/api/run", headers={"X-GCMap-Token": "0" * 64})
    check(status == 403, f"wrong token: {status}")
    status, _ = server.request("/?token=" + "1" * 64, token=False)
    check(status == 403, f"wrong token in the address: {status}")
    status, _ = server.request("/api/run", headers={"Host": f"attacker.example:{server.port}"})
    check(status == 403, f"DNS rebinding (foreign Host): {status}")
    # A cross-site form post: a form's content type, another site's Origin, no token header.
    form = b"documentSHA256=x&passageHash=y&category=O01&decision=reject&reviewer=z"
    status, _ = server.request("/api/decisions", body=form, token=False,
                               content_type="application/x-www-form-urlencoded",
                               headers={"Origin": "http://attacker.example"})
    check(status == 403, f"cross-site form post: {status}")
    status, _ = server.request("/api/decisions", body=form,
                               content_type="application/x-www-form-urlencoded")
    check(status == 415, f"form post with the token: {status}")
    status, _ = server.request("/api/decisions", body={"decision": "reject"},
                               headers={"Origin": "http://attacker.example"})
    check(status == 403, f"JSON from another origin: {status}")
    # Bound to loopback only: the machine's other addresses refuse the connection.
    addresses = {info[4][0] for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET)}
    addresses |= set(subprocess.run(["hostname", "-I"], capture_output=True, text=True).stdout.split())
    for address in sorted(a for a in addresses if ":" not in a and not a.startswith("127.")):
        with socket.socket() as sock:
            sock.settimeout(3)
            check(sock.connect_ex((address, server.port)) != 0,
                  f"the server answers on {address}, not only 127.0.0.1")
    listening = subprocess.run(["ss", "-ltnH", f"sport = :{server.port}"], capture_output=True,
                               text=True).stdout
    check(listening and all("127.0.0.1:" in line for line in listening.splitlines()),
          f"listening sockets: {listening}")
    # The token is out of the address bar and the history once the page has loaded, in no
    # link of the page, and a reload (without it in the address) still works.
    check(driver.execute_script("return location.search") == "",
          f"the token is still in the address: {driver.current_url}")
    check(server.token not in driver.current_url, "the token is in the address")
    links = driver.execute_script(
        "return [...document.querySelectorAll('[href],[src],[action]')]"
        ".map(e => e.getAttribute('href') || e.getAttribute('src') || e.getAttribute('action'))")
    check(not any(server.token in (link or "") for link in links), f"the token is in a link: {links}")
    driver.refresh()
    wait(driver, 30).until(
        lambda d: d.execute_script("return document.body.dataset.ready") == "yes")
    check(driver.execute_script("return location.search") == "", "a reload put the token back")
    # PDF text with HTML and script is shown as text: no alert, no injected element.
    Select(driver.find_element(By.ID, "search-doc")).select_by_value("hostile-text")
    search = driver.find_element(By.ID, "search-text")
    search.clear()
    driver.find_element(By.ID, "search-go").click()
    wait(driver).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#passages .passage"))
    time.sleep(0.5)
    try:
        driver.switch_to.alert
        raise AssertionError("PDF text ran a script (an alert is open)")
    except NoAlertPresentException:
        pass
    texts = " ".join(e.text for e in driver.find_elements(By.CSS_SELECTOR, "#passages .text"))
    check("<script>" in texts, "the hostile text is not shown as text")
    check(not driver.find_elements(By.CSS_SELECTOR, "#passages script, #passages img"),
          "PDF text became markup")


def check_durability(gcmap, run_out, work, driver, second):
    store = os.path.join(work, "durable.sqlite")
    server = Server(gcmap, run_out, store)
    try:
        open_app(driver, server, "Ada Analyst")
        open_app(second, server, "Ben Reviewer")
        passages = json.loads(server.request("/api/run")[1])["passages"]
        labelled = [p for p in passages if p["labels"]][:20]
        script = """
        const [items, who, done] = [arguments[0], arguments[1], arguments[arguments.length - 1]];
        const token = sessionStorage.getItem("gcmap-token");  // the page took it out of the address
        Promise.all(items.map(p => fetch("/api/decisions", {method: "POST",
          headers: {"X-GCMap-Token": token, "Content-Type": "application/json"},
          body: JSON.stringify({documentSHA256: p.sha256, passageHash: p.hash,
            category: p.labels[0].category, decision: "confirm", reviewer: who})})
          .then(r => r.status))).then(done);
        """
        results = {}
        def post(name, d):
            results[name] = d.execute_async_script(script, labelled, name)
        driver.set_script_timeout(60)
        second.set_script_timeout(60)
        threads = [threading.Thread(target=post, args=(n, d))
                   for n, d in [("Ada", driver), ("Ben", second)]]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        check(all(s == 200 for r in results.values() for s in r), f"concurrent posts: {results}")
        # One more decision, acknowledged, then kill -9.
        target = labelled[0]
        status, _ = server.request("/api/decisions", body={
            "documentSHA256": target["sha256"], "passageHash": target["hash"],
            "category": target["labels"][0]["category"], "decision": "reject",
            "reviewer": "Last Word"})
        check(status == 200, f"the last decision was not acknowledged: {status}")
        server.stop(signal.SIGKILL)
    finally:
        if server.process.poll() is None:
            server.stop(signal.SIGKILL)
    exported = subprocess.run([gcmap, "decisions", "export", store], capture_output=True,
                              text=True, check=True).stdout
    decisions = list(csv.DictReader(exported.splitlines()))
    expected = 2 * len(labelled) + 1
    check(len(decisions) == expected, f"{len(decisions)} decisions kept, not {expected}")
    check(decisions[-1]["reviewer"] == "Last Word", "the decision acknowledged before kill -9 is lost")
    # A damaged store and a foreign SQLite file: a clear error, status 1, no crash.
    damaged = os.path.join(work, "damaged.sqlite")
    data = bytearray(Path(store).read_bytes())
    data[100:4096] = os.urandom(3996)
    Path(damaged).write_bytes(bytes(data))
    foreign = os.path.join(work, "foreign.sqlite")
    with sqlite3.connect(foreign) as db:
        db.execute("CREATE TABLE invoices (id INTEGER, amount REAL)")
    for path, words in [(damaged, "damaged"), (foreign, "not a gcmap decisions store")]:
        for command in ([gcmap, "decisions", "export", path],
                        [gcmap, "review", run_out, "--store", path, "--port", "0"]):
            result = subprocess.run(command, capture_output=True, text=True, timeout=60)
            check(result.returncode == 1 and words in result.stderr and path in result.stderr,
                  f"{' '.join(command[1:3])} on {path}: status {result.returncode}, {result.stderr}")
    foreign_tables = sqlite3.connect(foreign).execute("SELECT name FROM sqlite_master").fetchall()
    check(foreign_tables == [("invoices",)], "the foreign SQLite file was changed")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("gcmap")
    parser.add_argument("fixtures")
    parser.add_argument("work")
    parser.add_argument("--screenshot")
    args = parser.parse_args()
    work = os.path.abspath(args.work)
    os.makedirs(work, exist_ok=True)
    run_out = os.path.join(work, "run")
    run(args.gcmap, args.fixtures, run_out)
    before = rows(run_out)
    store = os.path.join(run_out, "decisions.sqlite")
    driver, second = browser(), browser()
    try:
        server = Server(args.gcmap, run_out)
        try:
            decisions = drive_four_decisions(driver, server, before, args.screenshot)
            check_security(server, driver)
        finally:
            status = server.stop()
        check(status == 0, f"gcmap review did not stop cleanly on Ctrl-C (status {status})")
        check_applied(args.gcmap, args.fixtures, work, store, decisions)
        check_export_import(args.gcmap, work, store)
        check_other_pipeline(args.gcmap, args.fixtures, work, store)
        check_durability(args.gcmap, run_out, work, driver, second)
    finally:
        driver.quit()
        second.quit()
    print("review test: passed")


if __name__ == "__main__":
    try:
        main()
    except AssertionError as error:
        print(f"review test: FAILED: {error}", file=sys.stderr)
        sys.exit(1)
