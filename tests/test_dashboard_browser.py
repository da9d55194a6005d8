"""``l10nsync dashboard`` in a real headless Chromium, loaded from file:// as a user would open it.

The page is checked against its DOM contract: the overview of locales, the sortable and
filterable table of pages, the detail of an outdated page, and a hostile page title that must
stay text. One dashboard and one browser serve the whole module; each test loads the page anew.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

from l10nsync.scenario import build_scenario, load_scenario
from tests.conftest import FIXTURES, GIT_ENVIRONMENT, L10NSYNC

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
WAIT_SECONDS = 10

AT_PAGE = "files/fr/web/javascript/reference/global_objects/array/at/index.md"
AT_FRENCH_HEADINGS = ("Exemples", "Renvoyer la dernière valeur d'un tableau")
HOSTILE_PAGE = "files/fr/web/html/element/img/index.md"
HOSTILE_TITLE = "<img src=x onerror=\"document.title='pwned'\">"
# The hostile page's English diff and commit subjects carry markup of their own.
HOSTILE_DIFF_LINE = "<img src=\"x\" onerror=\"document.title='pwned-by-diff'\" />"
HOSTILE_COMMIT = "<img>: document alt"

# Visible rows of the pages table, read in one round trip so that a check sees one state.
VISIBLE_ROWS_SCRIPT = """
return Array.from(document.querySelectorAll('#pages tbody tr[data-path]'))
  .filter(row => row.getClientRects().length > 0)
  .map(row => {
    const cell = name => {
      const found = row.querySelector('td.' + name);
      return found === null ? null : found.textContent.trim();
    };
    return {path: row.dataset.path, status: cell('status'), behind: cell('behind')};
  });
"""


@dataclass(frozen=True)
class Dashboard:
    """A dashboard written for the dashboard scenario, and what its status.json says."""

    folder: Path
    status: dict[str, Any]

    @property
    def url(self) -> str:
        return (self.folder / "index.html").as_uri()

    def paths(self, locale: str, status: str | None = None) -> set[str]:
        return {
            page["path"] for page in self.status["pages"]
            if page["locale"] == locale and (status is None or page["status"] == status)
        }


HOST = "https://github.com/example-docs"


def git_environment() -> dict[str, str]:
    """The environment of the tests' git: no user configuration, no MDN variables."""
    environment = {
        name: value for name, value in os.environ.items()
        if name not in {"CONTENT_ROOT", "CONTENT_TRANSLATED_ROOT", "NO_COLOR", "GITHUB_ACTIONS",
                        "GITHUB_STEP_SUMMARY"}
    }
    environment.update(GIT_ENVIRONMENT)
    return environment


@pytest.fixture(scope="module")
def dashboard(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Dashboard]:
    """Build the scenario into repositories and run ``l10nsync dashboard`` in the translations."""
    root = tmp_path_factory.mktemp("dashboard")
    with pytest.MonkeyPatch.context() as patch:
        for name, value in git_environment().items():
            patch.setenv(name, value)
        built = build_scenario(load_scenario(FIXTURES / "dashboard.toml"), root / "repositories")
    for repository, name in ((built.source_root, "content"),
                             (built.translated_root, "translated-content")):
        subprocess.run(["git", "remote", "add", "origin", f"{HOST}/{name}.git"],
                       cwd=repository, env=git_environment(), check=True)
    output = root / "site"
    command = [*L10NSYNC, "dashboard", "--output", str(output),
               "--source-root", str(built.source_root)]
    result = subprocess.run(
        command, cwd=built.translated_root, env=git_environment(), capture_output=True,
        text=True, timeout=300, check=False,
    )
    assert result.returncode == 0, f"{command} exited {result.returncode}:\n{result.stderr}"
    assert (output / "index.html").is_file()
    status = json.loads((output / "status.json").read_text(encoding="utf-8"))
    yield Dashboard(output, status)


@pytest.fixture(scope="module")
def driver(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebDriver]:
    """One headless Chromium for the module, offline, with the browser console recorded."""
    missing = [str(path) for path in (CHROMIUM, CHROMEDRIVER) if not path.exists()]
    if missing:
        # Never skipped: .ci/run installs them; a machine without them fails here, clearly.
        pytest.fail(f"not installed: {', '.join(missing)} "
                    "(apt-get install chromium chromium-driver, as .ci/run does)")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--disable-background-networking", "--disable-component-update",
                     "--disable-sync", "--no-first-run", "--window-size=1280,1000",
                     f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    with pytest.MonkeyPatch.context() as patch:
        # The driver's path is given, so Selenium Manager has nothing to find; offline anyway.
        patch.setenv("SE_OFFLINE", "true")
        browser = webdriver.Chrome(
            options=options, service=Service(executable_path=str(CHROMEDRIVER))
        )
        try:
            yield browser
        finally:
            browser.quit()


def wait(driver: WebDriver) -> WebDriverWait[WebDriver]:
    return WebDriverWait(driver, WAIT_SECONDS)


def load(driver: WebDriver, dashboard: Dashboard, fragment: str = "") -> None:
    """Load the dashboard afresh (a hash change alone would keep the old page's state)."""
    driver.get("about:blank")
    driver.get(dashboard.url + fragment)
    wait(driver).until(EC.presence_of_element_located((By.CSS_SELECTOR, "#locales tbody tr")))


def open_locale(driver: WebDriver, dashboard: Dashboard, locale: str) -> None:
    """Open a locale's view through the URL hash and wait for its rows."""
    load(driver, dashboard, f"#locale={locale}")
    wait(driver).until(EC.visibility_of_element_located((By.ID, "locale-view")))
    wait(driver).until(EC.text_to_be_present_in_element((By.ID, "locale-title"), locale))
    wait(driver).until(lambda d: visible_rows(d))


def visible_rows(driver: WebDriver) -> list[dict[str, str | None]]:
    rows: list[dict[str, str | None]] = driver.execute_script(VISIBLE_ROWS_SCRIPT)
    return rows


def visible_paths(driver: WebDriver) -> set[str | None]:
    return {row["path"] for row in visible_rows(driver)}


def numbers_in(texts: list[str | None]) -> list[int]:
    """The cells that hold a number, in order (pages without a count show none)."""
    return [int(text) for text in texts if text is not None and re.fullmatch(r"\d+", text)]


def first_number(text: str | None) -> int | None:
    match = re.search(r"\d+", text or "")
    return int(match.group()) if match else None


def segment_count(segment: WebElement) -> int:
    """How many pages a bar segment stands for: data-count, else its text, else its title."""
    for source in ("data-count", "textContent", "title"):
        count = first_number(segment.get_attribute(source))
        if count is not None:
            return count
    raise AssertionError(f"bar segment {segment.get_attribute('outerHTML')} shows no count")


def open_detail(driver: WebDriver, path: str) -> WebElement:
    """Click a page's link in the table and wait for the detail to show."""
    row = driver.find_element(By.CSS_SELECTOR, f'#pages tbody tr[data-path="{path}"]')
    row.find_element(By.CSS_SELECTOR, "a.page-link").click()
    detail = wait(driver).until(EC.visibility_of_element_located((By.ID, "detail")))
    wait(driver).until(
        lambda d: d.find_elements(By.CSS_SELECTOR, "#detail div.hunk")
    )
    return detail


def test_overview_lists_every_locale_with_the_summary_counts(
    driver: WebDriver, dashboard: Dashboard
) -> None:
    load(driver, dashboard)
    wait(driver).until(EC.visibility_of_element_located((By.ID, "overview")))
    summary = dashboard.status["summary"]
    assert set(summary) == {"fr", "ja"}
    rows = driver.find_elements(By.CSS_SELECTOR, "#overview #locales tbody tr[data-locale]")
    assert sorted(row.get_attribute("data-locale") for row in rows) == ["fr", "ja"]
    for locale, counts in summary.items():
        row = driver.find_element(By.CSS_SELECTOR, f'#locales tbody tr[data-locale="{locale}"]')
        segments = row.find_elements(By.CSS_SELECTOR, "div.bar span.seg[data-status]")
        shown = {segment.get_attribute("data-status"): segment_count(segment)
                 for segment in segments}
        shown = {status: count for status, count in shown.items() if count}
        expected = {status: count for status, count in counts.items() if count}
        assert shown == expected, locale


def test_sorting_by_commits_behind_and_back(driver: WebDriver, dashboard: Dashboard) -> None:
    load(driver, dashboard)
    driver.find_element(By.CSS_SELECTOR, '#locales tbody tr[data-locale="fr"]').click()
    wait(driver).until(EC.visibility_of_element_located((By.ID, "locale-view")))
    wait(driver).until(EC.text_to_be_present_in_element((By.ID, "locale-title"), "fr"))
    assert visible_paths(driver) == dashboard.paths("fr")

    header = driver.find_element(By.CSS_SELECTOR, '#pages thead th[data-sort="behind"]')
    header.click()
    wait(driver).until(
        lambda d: header.get_attribute("aria-sort") in {"ascending", "descending"}
    )
    first = header.get_attribute("aria-sort")
    behind = numbers_in([row["behind"] for row in visible_rows(driver)])
    assert sorted(behind) == [0, 1, 2, 3]  # tcp, Array.prototype.at(), HTTP, the <img> page
    assert behind == sorted(behind, reverse=first == "descending"), first

    header.click()
    second = "ascending" if first == "descending" else "descending"
    wait(driver).until(lambda d: header.get_attribute("aria-sort") == second)
    assert numbers_in([row["behind"] for row in visible_rows(driver)]) == behind[::-1]
    others = driver.find_elements(
        By.CSS_SELECTOR, '#pages thead th[data-sort]:not([data-sort="behind"])'
    )
    assert {th.get_attribute("data-sort") for th in others} >= {"title", "status", "ratio", "date"}
    assert all(th.get_attribute("aria-sort") in (None, "", "none") for th in others)


def test_status_and_text_filters(driver: WebDriver, dashboard: Dashboard) -> None:
    open_locale(driver, dashboard, "fr")
    outdated = dashboard.paths("fr", "outdated")
    assert outdated == {AT_PAGE, HOSTILE_PAGE, "files/fr/glossary/http/index.md"}

    Select(driver.find_element(By.ID, "status-filter")).select_by_value("outdated")
    wait(driver).until(lambda d: visible_paths(d) == outdated)
    count = driver.find_element(By.ID, "shown-count")
    assert first_number(count.text) == len(outdated), count.text

    driver.find_element(By.ID, "text-filter").send_keys("array")
    wait(driver).until(lambda d: visible_paths(d) == {AT_PAGE})
    assert first_number(count.text) == 1, count.text


def test_detail_maps_the_english_change_to_a_french_section(
    driver: WebDriver, dashboard: Dashboard
) -> None:
    open_locale(driver, dashboard, "fr")
    detail = open_detail(driver, AT_PAGE)
    assert driver.find_element(By.ID, "detail-title").text.strip() == "Array.prototype.at()"
    commits = [item.text for item in detail.find_elements(By.CSS_SELECTOR, "ul#detail-commits li")]
    assert len(commits) == 1 and "at(): compare with bracket notation" in commits[0], commits
    hunks = detail.find_elements(By.CSS_SELECTOR, "div.hunk")
    wheres = [hunk.find_element(By.CSS_SELECTOR, "div.where").text for hunk in hunks]
    assert any(heading in where for where in wheres for heading in AT_FRENCH_HEADINGS), wheres
    diffs = [hunk.find_element(By.CSS_SELECTOR, "pre.diff").text for hunk in hunks]
    assert any("+### Comparing methods" in diff for diff in diffs), diffs

    driver.find_element(By.ID, "detail-close").click()
    wait(driver).until(EC.invisibility_of_element_located((By.ID, "detail")))


def test_hostile_title_and_diff_stay_text(driver: WebDriver, dashboard: Dashboard) -> None:
    page = next(page for page in dashboard.status["pages"] if page["path"] == HOSTILE_PAGE)
    assert page["title"] == HOSTILE_TITLE and page["status"] == "outdated"

    open_locale(driver, dashboard, "fr")
    row = driver.find_element(By.CSS_SELECTOR, f'#pages tbody tr[data-path="{HOSTILE_PAGE}"]')
    link_text = row.find_element(By.CSS_SELECTOR, "a.page-link").text
    assert HOSTILE_TITLE in link_text, f"the title is not shown as text in the table: {link_text!r}"
    detail = open_detail(driver, HOSTILE_PAGE)
    assert driver.find_element(By.ID, "detail-title").text.strip() == HOSTILE_TITLE
    commits = [item.text for item in detail.find_elements(By.CSS_SELECTOR, "ul#detail-commits li")]
    assert any(HOSTILE_COMMIT in commit for commit in commits), commits
    diffs = [pre.text for pre in detail.find_elements(By.CSS_SELECTOR, "div.hunk pre.diff")]
    assert any(HOSTILE_DIFF_LINE in diff for diff in diffs), diffs

    images = driver.find_elements(By.CSS_SELECTOR, "#pages img, #detail img")
    assert images == [], [image.get_attribute("outerHTML") for image in images]
    assert not driver.title.startswith("pwned"), driver.title
    assert not driver.execute_script("return document.title").startswith("pwned")

    # The console since the browser started, i.e. over every test of this module run so far.
    problems = [
        entry for entry in driver.get_log("browser")
        if entry["level"] == "SEVERE"
        or re.search(r"Content Security Policy|Uncaught|Refused to", entry["message"])
    ]
    assert problems == []


def test_screenshots(driver: WebDriver, dashboard: Dashboard, tmp_path: Path) -> None:
    open_locale(driver, dashboard, "fr")
    views = {"dashboard-fr.png": None, "dashboard-fr-detail.png": AT_PAGE}
    for name, page in views.items():
        if page is not None:
            open_detail(driver, page)
        screenshot = tmp_path / name
        assert driver.save_screenshot(str(screenshot))
        data = screenshot.read_bytes()
        assert data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) > 10_000, name


def test_overview_shows_shares_labels_and_only_columns_with_pages(
    driver: WebDriver, dashboard: Dashboard
) -> None:
    load(driver, dashboard)
    wait(driver).until(EC.visibility_of_element_located((By.ID, "overview")))
    headers = [th.text for th in driver.find_elements(By.CSS_SELECTOR, "#locales thead th")]
    present = {status for counts in dashboard.status["summary"].values()
               for status, count in counts.items() if count}
    absent = [status for status in dashboard.status["summary"]["fr"] if status not in present]
    assert absent, "the scenario should leave some status unused"
    shown = {th.get_attribute("data-status")
             for th in driver.find_elements(By.CSS_SELECTOR, "#locales thead th[data-status]")}
    assert shown == present - {"up_to_date"}  # up to date has its own share column
    english = dashboard.status["progress"]["fr"]["english_pages"]
    assert f"Translated (of {english} English pages)" in headers
    fr = dashboard.status["progress"]["fr"]
    cell = driver.find_element(By.CSS_SELECTOR, '#locales tr[data-locale="fr"] td.translated')
    assert cell.text == f"{fr['translated']} ({fr['translated_percent']:.1f}%)"


def test_grid_of_pages_by_locale_links_to_each_translation(
    driver: WebDriver, dashboard: Dashboard
) -> None:
    load(driver, dashboard)
    wait(driver).until(EC.visibility_of_element_located((By.ID, "grid-section")))
    rows = driver.find_elements(By.CSS_SELECTOR, "#grid tbody tr")
    english = {page["source_path"] for page in dashboard.status["pages"]
               if page["status"] not in ("orphaned", "moved")}
    assert {row.find_element(By.CSS_SELECTOR, "th").text for row in rows} >= english
    outdated = sorted(dashboard.paths("fr", "outdated"))[0]
    cell = driver.find_element(By.CSS_SELECTOR, f'#grid a[href*="{outdated.split("/")[-2]}"]')
    assert cell.text == "outdated"
    cell.click()
    wait(driver).until(EC.visibility_of_element_located((By.ID, "detail")))
    facts = driver.find_element(By.ID, "detail-facts").text
    assert outdated in facts


def test_pages_link_to_the_host_and_no_local_path_is_published(
    driver: WebDriver, dashboard: Dashboard
) -> None:
    open_locale(driver, dashboard, "fr")
    links = [a.get_attribute("href") for a in driver.find_elements(By.CSS_SELECTOR,
                                                                   "#pages a.host-link")]
    assert links and all(link.startswith(HOST + "/") for link in links)
    assert any("/compare/" in link for link in links)
    outdated = sorted(dashboard.paths("fr", "outdated"))[0]
    detail = open_detail(driver, outdated)
    commits = [a.get_attribute("href")
               for a in detail.find_elements(By.CSS_SELECTOR, "#detail-commits a.host-link")]
    assert commits and all(link.startswith(f"{HOST}/content/commit/") for link in commits)
    meta = driver.find_element(By.ID, "meta").text
    assert f"{HOST}/content" in meta
    for file in dashboard.folder.rglob("*"):
        if file.is_file() and file.name != ".l10nsync-dashboard":
            assert str(dashboard.folder.parent) not in file.read_text(encoding="utf-8"), file


def test_the_overview_shows_the_dictionaries_table(
    driver: WebDriver, tmp_path_factory: pytest.TempPathFactory
) -> None:
    root = tmp_path_factory.mktemp("dictionaries")
    with pytest.MonkeyPatch.context() as patch:
        for name, value in git_environment().items():
            patch.setenv(name, value)
        built = build_scenario(load_scenario(FIXTURES / "dictionaries_starlight.toml"),
                               root / "repositories")
    output = root / "site"
    result = subprocess.run(
        [*L10NSYNC, "dashboard", "--output", str(output)], cwd=built.translated_root,
        env=git_environment(), capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stderr
    site = Dashboard(output, json.loads((output / "status.json").read_text(encoding="utf-8")))
    load(driver, site)
    wait(driver).until(EC.visibility_of_element_located((By.ID, "dictionaries-section")))
    rows = driver.find_elements(By.CSS_SELECTOR, "#dictionaries tbody tr")
    cells = {row.find_elements(By.TAG_NAME, "td")[1].text:
             [cell.text for cell in row.find_elements(By.TAG_NAME, "td")[2:6]] for row in rows}
    assert cells["src/content/i18n/fr.json"] == ["1", "2", "1", "4"]
    assert len(cells) == 4
    assert not [entry for entry in driver.get_log("browser")
                if entry["level"] == "SEVERE" or "Uncaught" in entry["message"]]
