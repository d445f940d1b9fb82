#!/usr/bin/env python3
"""report.html's Arabic quotes, rendered in a real browser (headless Chromium through
Selenium), read right to left: each quote in Arabic letters takes the right-to-left direction
and its first letter stands at the right edge of its block. Saves a screenshot of the first.

Usage: Tests/browser/report_rtl_test.py REPORT.html [--screenshot PNG]
Exits non-zero with the failed check's message.
"""
import argparse
import sys
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By

# Where the first and the last letter of a quote's text are drawn, and its block's edges.
GEOMETRY = """
const span = arguments[0];
const text = span.firstChild;
const range = document.createRange();
function box(at) { range.setStart(text, at); range.setEnd(text, at + 1); return range.getBoundingClientRect(); }
const block = span.closest('blockquote').getBoundingClientRect();
const first = box(0);
return {direction: getComputedStyle(span).direction, firstLeft: first.left, firstRight: first.right,
        blockLeft: block.left, blockRight: block.right};
"""


def arabic(text):
    return sum(1 for c in text if '\u0600' <= c <= '\u06ff') * 2 > sum(1 for c in text if c.isalpha())


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("report")
    parser.add_argument("--screenshot")
    args = parser.parse_args()
    options = webdriver.ChromeOptions()
    for flag in ["--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1400,1000"]:
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    try:
        driver.get(Path(args.report).resolve().as_uri())
        quotes = [q for q in driver.find_elements(By.CSS_SELECTOR, "span.quote") if arabic(q.text)]
        if not quotes:
            sys.exit("report_rtl_test: no Arabic quote in " + args.report)
        for quote in quotes:
            found = driver.execute_script(GEOMETRY, quote)
            where = quote.text[:40]
            if found["direction"] != "rtl":
                sys.exit(f"report_rtl_test: quote read {found['direction']}: {where}")
            # The first letter at the block's right edge, far from its left one.
            if not (found["blockRight"] - found["firstRight"] < 40
                    and found["firstLeft"] - found["blockLeft"] > 100):
                sys.exit(f"report_rtl_test: first letter not at the right edge ({found}): {where}")
        if args.screenshot:
            driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", quotes[0])
            driver.save_screenshot(args.screenshot)
        print(f"report_rtl_test: {len(quotes)} Arabic quotes read right to left"
              + (f"; screenshot {args.screenshot}" if args.screenshot else ""))
    finally:
        driver.quit()


if __name__ == "__main__":
    main()
