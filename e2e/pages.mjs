// Page objects: what the tests do on each page, by data-testid, so markup can change freely.

const T = 15000;

export class LoginPage {
  constructor(page, base) {
    this.page = page;
    this.base = base;
  }
  async open() {
    await this.page.goto(`${this.base}/login`);
    await this.page.getByTestId("email").waitFor({ timeout: T });
  }
  async submit(email, password, waitForLeaving = true) {
    await this.page.getByTestId("email").fill(email);
    await this.page.getByTestId("password").fill(password);
    await this.page.getByTestId("login-submit").click();
    if (waitForLeaving && password === "tierdash-demo") await this.page.waitForURL((u) => !u.pathname.startsWith("/login"), { timeout: T });
  }
  async error() {
    const e = this.page.getByTestId("login-error");
    await e.waitFor({ timeout: T });
    return e.innerText();
  }
}

export class Shell {
  constructor(page) {
    this.page = page;
  }
  /** The menu button, shown on narrow screens only. */
  menuToggle() {
    return this.page.getByTestId("menu-toggle");
  }
  /** Opens the navigation if it is folded behind the menu button (narrow screens). */
  async openMenu() {
    await this.page.getByTestId("nav-links").waitFor({ state: "attached", timeout: T });
    const toggle = this.menuToggle();
    if ((await toggle.isVisible()) && (await toggle.getAttribute("aria-expanded")) !== "true") await toggle.click({ timeout: T });
  }
  async go(testid) {
    await this.openMenu();
    await this.page.getByTestId(testid).click({ timeout: T });
  }
  async has(testid) {
    await this.page.getByTestId("who").waitFor({ state: "attached", timeout: T });
    return (await this.page.getByTestId(testid).count()) > 0;
  }
  async logout() {
    await this.openMenu();
    await this.page.getByTestId("logout").click({ timeout: T });
  }
}

/** The error state every page shows when a call fails (components/states.rs). */
export class ErrorState {
  constructor(page) {
    this.root = page.getByTestId("error");
  }
  async title() {
    return (await this.root.getByTestId("error-title").innerText({ timeout: T })).trim();
  }
  async detail() {
    return (await this.root.getByTestId("error-detail").innerText({ timeout: T })).trim();
  }
  async role() {
    return this.root.getAttribute("role", { timeout: T });
  }
  back() {
    return this.root.getByTestId("error-back");
  }
}

export class HomePage {
  constructor(page) {
    this.page = page;
  }
  async kpi(testid) {
    const v = this.page.getByTestId(testid).getByTestId("kpi-value");
    await v.waitFor({ timeout: T });
    return (await v.innerText()).trim();
  }
}

/** What the page shows for a decimal string of the API, in en-US dollars. */
export function usd(decimal) {
  return new Intl.NumberFormat("en-US", { style: "currency", currency: "USD" }).format(Number(decimal));
}

/** The API as the logged-in page sees it: the page's own token, the same server. */
export async function apiAs(page, base, path) {
  const token = await page.evaluate(() => sessionStorage.getItem("tierdash.token"));
  const response = await fetch(`${base}${path}`, { headers: { Authorization: `Bearer ${token}` } });
  if (!response.ok) throw new Error(`${path}: ${response.status}`);
  return response.json();
}

export class ReportPage {
  constructor(page) {
    this.page = page;
  }
  async total() {
    const t = this.page.getByTestId("report-total");
    await t.waitFor({ timeout: T });
    return (await t.innerText()).trim();
  }
  /** Clicks the CSV button; returns the downloaded file's name and text. */
  async downloadCsv() {
    return downloadCsv(this.page, "download-csv");
  }
}

/** Clicks the button `testid` (or the button a locator finds) and reads the CSV it downloads. */
export async function downloadCsv(page, testid) {
  const button = typeof testid === "string" ? page.getByTestId(testid) : testid;
  const [download] = await Promise.all([
    page.waitForEvent("download", { timeout: T }),
    button.click(),
  ]);
  const stream = await download.createReadStream();
  let text = "";
  for await (const chunk of stream) text += chunk;
  return { name: download.suggestedFilename(), text };
}

export class TablePage {
  constructor(page, testid) {
    this.page = page;
    this.root = page.getByTestId(testid);
  }
  rows() {
    return this.root.getByTestId("row");
  }
  async waitForRows(n) {
    await this.page.waitForFunction(
      ([id, n]) => document.querySelectorAll(`[data-testid="${id}"] [data-testid="row"]`).length === n,
      [await this.root.getAttribute("data-testid", { timeout: T }), n],
      { timeout: T },
    );
  }
  async rowCount() {
    await this.rows().first().waitFor({ timeout: T });
    return this.rows().count();
  }
  async firstCell() {
    return (await this.rows().first().locator("td").first().innerText()).trim();
  }
  async waitForFirstCell(predicate) {
    for (let i = 0; i < 150; i++) {
      if (predicate(await this.firstCell().catch(() => ""))) return;
      await this.page.waitForTimeout(100);
    }
    throw new Error("the table did not change as expected");
  }
  async pageInfo() {
    return this.root.getByTestId("page-info").innerText({ timeout: T });
  }
  async nextPage() {
    const next = this.root.getByTestId("next-page");
    if ((await next.innerText({ timeout: T })).trim() !== "Next") throw new Error("the Next button is mislabelled");
    await next.click({ timeout: T });
  }
  async sortBy(field) {
    await this.root.getByTestId(`sort-${field}`).click({ timeout: T });
  }
  async search(text) {
    await this.root.getByTestId("search").fill(text, { timeout: T });
  }
  async openFirst() {
    await this.rows().first().locator("a").first().click({ timeout: T });
  }
}

export class OrganizationPage {
  constructor(page) {
    this.page = page;
  }
  async name() {
    const h = this.page.getByTestId("org-name");
    await h.waitFor({ timeout: T });
    return (await h.innerText()).trim();
  }
}

/** The usage reports page (`/reports`): its tabs, the reseller rows' reports, the export list. */
export class UsageReportsPage {
  constructor(page) {
    this.page = page;
  }
  async tab(name) {
    await this.page.getByTestId(`tab-${name}`).click({ timeout: T });
    await this.page.waitForURL((u) => u.searchParams.get("tab") === name, { timeout: T });
  }
  /** The reseller usage rows. */
  resellerRows() {
    return this.page.getByTestId("reseller-usage-table").getByTestId("row");
  }
  /** The first reseller row with usage this month (its id). */
  async firstResellerWithUsage() {
    await this.resellerRows().first().waitFor({ timeout: T });
    const row = this.page.locator('[data-testid="reseller-usage-table"] tr[data-reseller-id]:not([data-lines="0"])').first();
    await row.waitFor({ timeout: T });
    return row.getAttribute("data-reseller-id");
  }
  resellerRow(id) {
    return this.page.locator(`[data-testid="reseller-usage-table"] tr[data-reseller-id="${id}"]`);
  }
  /** Clicks the reseller's Generate CSV; returns the report the API answered. */
  async generateFor(id) {
    const [answer] = await Promise.all([
      this.page.waitForResponse((r) => r.request().method() === "POST" && new URL(r.url()).pathname === "/api/v1/reports", { timeout: T }),
      this.resellerRow(id).getByTestId("reseller-generate").click({ timeout: T }),
    ]);
    if (![200, 202].includes(answer.status())) throw new Error(`requesting the report: ${answer.status()}`);
    return answer.json();
  }
  /** Waits until the report `reportId` shows `status` in the reseller's row (up to `timeout` ms). */
  async waitForRowStatus(id, reportId, status, timeout = 60000) {
    await this.resellerRow(id)
      .locator(`[data-testid="report-status"][data-report-id="${reportId}"][data-status="${status}"]`)
      .waitFor({ timeout });
  }
  /** Downloads the reseller's report through its Export CSV button. */
  async exportFor(id) {
    return downloadCsv(this.page, this.resellerRow(id).getByTestId("reseller-export"));
  }
}

// ---- Every page at every width ---------------------------------------------------------------

/** The demo's logins (crates/demo), by role. */
export const USERS = {
  distributor: "admin@northwind.example",
  reseller: "admin@alpine-cloud.example",
  /** The distributor's report_viewer: dashboards and reports, no revenue, no generating. */
  viewer: "viewer@northwind.example",
};
export const PASSWORD = "tierdash-demo";

/** The widths every page is checked at: a laptop and a phone. */
export const WIDTHS = [
  { width: 1440, height: 900 },
  { width: 390, height: 844 },
];

/**
 * Every page of the app, in one place: change a path here when a page moves. `as` is who looks
 * at it (no one: logged out). `:id` is filled in by `resolvePath`.
 */
export const PAGES = [
  { name: "login", path: "/login", as: null },
  { name: "home", path: "/", as: "distributor" },
  { name: "partners", path: "/partners", as: "distributor" },
  { name: "resellers", path: "/resellers", as: "distributor" },
  { name: "customers", path: "/customers", as: "distributor" },
  { name: "service-plans", path: "/service-plans?enabled=true", as: "distributor" },
  { name: "insights", path: "/insights", as: "distributor" },
  { name: "insights-reseller", path: "/insights", as: "reseller" },
  { name: "organization", path: "/organizations/:id", as: "distributor" },
  { name: "portal", path: "/portal", as: "reseller" },
  { name: "portal-choice", path: "/portal", as: "distributor" },
  { name: "report-revenue", path: "/home/revenue", as: "distributor" },
  { name: "report-projection", path: "/home/projection", as: "distributor" },
  { name: "report-marketplace", path: "/home/marketplace", as: "distributor" },
  { name: "report-overview", path: "/home/overview", as: "distributor" },
  { name: "usage-reports", path: "/reports", as: "distributor" },
  { name: "usage-reports-resellers", path: "/reports?tab=resellers", as: "distributor" },
  { name: "usage-reports-overview", path: "/reports?tab=resellers&reseller=:id", as: "distributor" },
  { name: "usage-reports-sites", path: "/reports?tab=organizations", as: "distributor" },
  { name: "usage-reports-export", path: "/reports?tab=export", as: "distributor" },
  { name: "usage-reports-viewer", path: "/reports?tab=resellers", as: "viewer" },
  { name: "billing-issues", path: "/billing", as: "distributor" },
  { name: "imports", path: "/imports", as: "distributor" },
  { name: "invoices", path: "/invoices", as: "distributor" },
  { name: "invoice", path: "/invoices/:invoice", as: "distributor" },
  { name: "invoices-reseller", path: "/invoices", as: "reseller" },
  { name: "onboarding", path: "/onboarding", as: "distributor" },
  { name: "settings-users", path: "/settings/users", as: "distributor" },
  { name: "settings-api-keys", path: "/settings/api-keys", as: "distributor" },
  { name: "settings-fx-rates", path: "/settings/fx-rates", as: "distributor" },
];

/** The path of the page named `name` in PAGES. */
export function pathOf(name) {
  const spec = PAGES.find((p) => p.name === name);
  if (!spec) throw new Error(`no page named ${name}`);
  return spec.path;
}

/** Old addresses that must keep working: each sends the browser on to the page's path now. */
export const MOVED = [
  { from: "/reports/revenue", to: pathOf("report-revenue") },
  { from: "/reports/projection", to: pathOf("report-projection") },
  { from: "/reports/marketplace", to: pathOf("report-marketplace") },
  { from: "/reports/overview", to: pathOf("report-overview") },
];

/** A token for `email`, straight from the API. */
export async function tokenFor(base, email) {
  const response = await fetch(`${base}/api/v1/auth/token`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ email, password: PASSWORD }),
  });
  if (!response.ok) throw new Error(`login of ${email}: ${response.status}`);
  return (await response.json()).access_token;
}

/** A page's path with its parameters filled in (`:id`: the first reseller by name; `:invoice`:
 * the first invoice listed). */
export async function resolvePath(base, path, token) {
  if (path.includes(":invoice")) {
    const response = await fetch(`${base}/api/v1/invoices?per_page=1`, { headers: { Authorization: `Bearer ${token}` } });
    if (!response.ok) throw new Error(`no invoice to open: ${response.status}`);
    return path.replace(":invoice", (await response.json()).items[0].id);
  }
  if (!path.includes(":id")) return path;
  const response = await fetch(`${base}/api/v1/organizations?kind=reseller&sort=name&per_page=1`, {
    headers: { Authorization: `Bearer ${token}` },
  });
  if (!response.ok) throw new Error(`no reseller to open: ${response.status}`);
  return path.replace(":id", String((await response.json()).items[0].id));
}

/** A browser context of one width, logged in as `email` (or not at all). */
export async function contextAt(browser, { width, height }, token) {
  const context = await browser.newContext({ viewport: { width, height }, locale: "en-US" });
  if (token) await context.addInitScript((t) => sessionStorage.setItem("tierdash.token", t), token);
  return context;
}

/** Any page of the app, for the checks that hold on all of them. */
export class AppPage {
  constructor(page, base) {
    this.page = page;
    this.base = base;
  }

  /** Opens `path` and waits until it has loaded its data (no loading state left). */
  async open(path, loggedIn = true) {
    await this.page.goto(`${this.base}${path}`);
    await this.ready(loggedIn);
  }

  async ready(loggedIn = true) {
    if (loggedIn) await this.page.getByTestId("who").waitFor({ state: "attached", timeout: T });
    else await this.page.getByTestId("email").waitFor({ timeout: T });
    await this.page.waitForLoadState("networkidle", { timeout: T }).catch(() => {});
    await this.page.waitForFunction(() => !document.querySelector('[data-testid="loading"]'), null, { timeout: T });
    // Two frames: layout and fonts settle before anything is measured.
    await this.page.evaluate(() => new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(ok))));
  }

  /** The app's own not-found page (pages/not_found.rs) is showing. */
  async isNotFound() {
    return (await this.page.getByRole("heading", { name: "Page not found" }).count()) > 0;
  }

  /** The distinct in-app paths the page links to (no query, no fragment, no API or files). */
  async linkedPaths() {
    const hrefs = await this.page.$$eval("a[href]", (as) => as.map((a) => a.href));
    const paths = new Set();
    for (const href of hrefs) {
      const url = new URL(href, this.base);
      if (url.origin !== new URL(this.base).origin) continue;
      if (url.pathname.startsWith("/api/")) continue;
      paths.add(url.pathname);
    }
    return [...paths].sort();
  }

  /** The page is wider than the window: { scrollWidth, innerWidth, culprits } or null. */
  async horizontalOverflow() {
    return this.page.evaluate(() => {
      const scrollWidth = document.scrollingElement.scrollWidth;
      const innerWidth = window.innerWidth;
      if (scrollWidth <= innerWidth) return null;
      const describe = (e) =>
        e.tagName.toLowerCase() +
        (e.id ? `#${e.id}` : "") +
        (typeof e.className === "string" && e.className.trim() ? `.${e.className.trim().split(/\s+/).join(".")}` : "") +
        (e.dataset?.testid ? `[data-testid=${e.dataset.testid}]` : "");
      const clipped = (e) => {
        for (let a = e.parentElement; a && a !== document.body && a !== document.documentElement; a = a.parentElement) {
          if (getComputedStyle(a).overflowX !== "visible") return true;
        }
        return false;
      };
      // The elements that stick out while their parent does not: where to look.
      const culprits = [];
      for (const e of document.body.querySelectorAll("*")) {
        const r = e.getBoundingClientRect();
        if (r.right <= innerWidth + 1 || clipped(e)) continue;
        const p = e.parentElement?.getBoundingClientRect();
        if (p && p.right > innerWidth + 1) continue;
        culprits.push(`${describe(e)} (right edge ${Math.round(r.right)}px)`);
        if (culprits.length === 5) break;
      }
      return { scrollWidth, innerWidth, culprits };
    });
  }

  /** Chart labels (svg text in figure.chart) that overlap each other or leave their svg. */
  async chartLabelProblems() {
    return this.page.evaluate(() => {
      const problems = [];
      const tol = 0.5;
      const box = (r) => `[${Math.round(r.left)},${Math.round(r.top)} ${Math.round(r.width)}×${Math.round(r.height)}]`;
      document.querySelectorAll("figure.chart").forEach((figure, n) => {
        const svg = figure.querySelector("svg");
        if (!svg) return;
        const frame = svg.getBoundingClientRect();
        if (frame.width === 0) return;
        const name = `${figure.dataset.testid ?? "chart"} #${n + 1} "${svg.getAttribute("aria-label") ?? ""}"`;
        const texts = [...svg.querySelectorAll("text")]
          .map((t) => ({ text: t.textContent.trim(), r: t.getBoundingClientRect() }))
          .filter((t) => t.text && t.r.width > 0 && t.r.height > 0);
        for (const t of texts) {
          if (t.r.left < frame.left - tol || t.r.right > frame.right + tol || t.r.top < frame.top - tol || t.r.bottom > frame.bottom + tol) {
            problems.push(`${name}: label "${t.text}" ${box(t.r)} extends past the svg ${box(frame)}`);
          }
        }
        for (let i = 0; i < texts.length; i++) {
          for (let j = i + 1; j < texts.length; j++) {
            const [a, b] = [texts[i].r, texts[j].r];
            const w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
            const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
            if (w > tol && h > tol) problems.push(`${name}: labels "${texts[i].text}" ${box(a)} and "${texts[j].text}" ${box(b)} overlap`);
          }
        }
      });
      return problems;
    });
  }

  /** Buttons at the end of table rows that are outside their table's frame or the window. */
  async hiddenActionColumns() {
    return this.page.evaluate(() => {
      const problems = [];
      document.querySelectorAll("table").forEach((table, n) => {
        const row = [...table.querySelectorAll("tbody tr")].find((tr) => tr.lastElementChild?.querySelector("button, a.button"));
        if (!row) return;
        let frame = { left: 0, right: window.innerWidth };
        for (let a = table.parentElement; a && a !== document.body; a = a.parentElement) {
          if (getComputedStyle(a).overflowX !== "visible") {
            const r = a.getBoundingClientRect();
            frame = { left: Math.max(r.left, 0), right: Math.min(r.right, window.innerWidth) };
            break;
          }
        }
        for (const b of row.lastElementChild.querySelectorAll("button, a.button")) {
          const r = b.getBoundingClientRect();
          if (r.left < frame.left - 1 || r.right > frame.right + 1) {
            const name = table.dataset.testid ?? table.closest("[data-testid]")?.dataset.testid ?? `table #${n + 1}`;
            problems.push(`${name}: "${b.innerText.trim()}" spans ${Math.round(r.left)}-${Math.round(r.right)}px, its frame ${Math.round(frame.left)}-${Math.round(frame.right)}px`);
          }
        }
      });
      return problems;
    });
  }
}
