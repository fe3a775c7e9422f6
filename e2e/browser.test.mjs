// Browser tests: start the real `tierdash` binary on a fresh database with demo data, drive
// Debian's headless Chromium through playwright-core, and save a screenshot of each page under
// target/e2e-screenshots/. Pages are found by data-testid (see pages.mjs), never by markup.
// Every page of PAGES (pages.mjs) is also opened at 1440 px and 390 px and must not scroll
// sideways, overlap or clip chart labels, link to a path the app does not know, or log an error.
//
//   node browser.test.mjs        (make test runs it after building the app and the binary)

import { spawn, execFileSync } from "node:child_process";
import { mkdtempSync, mkdirSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import assert from "node:assert/strict";
import { chromium } from "playwright-core";
import {
  LoginPage, Shell, TablePage, OrganizationPage, HomePage, ReportPage, ErrorState, AppPage, UsageReportsPage, apiAs, usd, downloadCsv,
  PAGES, MOVED, WIDTHS, USERS, PASSWORD, pathOf, tokenFor, resolvePath, contextAt,
} from "./pages.mjs";

const root = resolve(import.meta.dirname, "..");
const bin = process.env.TIERDASH_BIN ?? join(root, "target/release/tierdash");
const dist = process.env.TIERDASH_STATIC_DIR ?? join(root, "frontend/dist");
const shots = join(root, "target/e2e-screenshots");
const chromiumPath = process.env.CHROMIUM ?? "/usr/bin/chromium";

mkdirSync(shots, { recursive: true });

function freePort() {
  return new Promise((ok, fail) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => ok(port));
    });
    server.on("error", fail);
  });
}

async function startServer() {
  const data = mkdtempSync(join(tmpdir(), "tierdash-e2e-"));
  const port = await freePort();
  const env = { ...process.env, TIERDASH_DATA_DIR: data, TIERDASH_BIND: `127.0.0.1:${port}`, TIERDASH_STATIC_DIR: dist, RUST_LOG: "warn" };
  delete env.TIERDASH_DATABASE_URL;
  delete env.TIERDASH_JWT_SECRET;
  execFileSync(bin, ["demo-data"], { env, stdio: "ignore" });
  const child = spawn(bin, ["serve"], { env, stdio: ["ignore", "inherit", "inherit"] });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`${base}/readyz`)).ok) return { base, child, data };
    } catch {}
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill();
  throw new Error("the server did not become ready");
}

const tests = [];
/** A test; `allowConsole` lists the console errors it expects (e.g. the 401 of a wrong password). */
const test = (name, fn, { allowConsole = [] } = {}) => tests.push({ name, fn, allowConsole });

/** Collects the page's console errors and uncaught exceptions into `into`. */
function watchConsole(page, into = []) {
  page.on("console", (m) => {
    if (m.type() === "error") into.push(`console error: ${m.text()}${m.location()?.url ? ` (${m.location().url})` : ""}`);
  });
  page.on("pageerror", (e) => into.push(`page error: ${e.message}`));
  return into;
}

// ---- Every page at both widths -----------------------------------------------------------------

/** Route shapes the link check has opened: `/organizations/7` stands for every id (one route). */
const checkedShapes = new Map();
const shape = (path) => path.replace(/\/\d+(?=\/|$)/g, "/:id");

/** Opens each linked path whose shape was not opened yet; returns those showing not-found. */
async function deadLinks(browser, base, paths) {
  const fresh = paths.filter((p) => !checkedShapes.has(shape(p)));
  if (fresh.length > 0) {
    // Whether a path is known is the router's business, not the role's: one login checks all.
    const context = await contextAt(browser, WIDTHS[0], await tokenFor(base, USERS.distributor));
    try {
      const page = await context.newPage();
      const app = new AppPage(page, base);
      for (const path of fresh) {
        await page.goto(`${base}${path}`);
        await page.getByTestId("who").waitFor({ state: "attached", timeout: 15000 });
        checkedShapes.set(shape(path), { path, notFound: await app.isNotFound() });
      }
    } finally {
      await context.close();
    }
  }
  return paths.filter((p) => checkedShapes.get(shape(p)).notFound);
}

for (const spec of PAGES) {
  const widths = WIDTHS.map((w) => `${w.width} px`).join(" and ");
  test(`${spec.path} at ${widths}: fits the width, clean chart labels, no dead links, no console errors`, async ({ browser, base }) => {
    const token = spec.as ? await tokenFor(base, USERS[spec.as]) : null;
    const path = await resolvePath(base, spec.path, token);
    const failures = [];
    for (const size of WIDTHS) {
      const at = `${path} at ${size.width} px`;
      const context = await contextAt(browser, size, token);
      const errors = [];
      try {
        const page = await context.newPage();
        watchConsole(page, errors);
        const app = new AppPage(page, base);
        await app.open(path, spec.as !== null);
        if (await app.isNotFound()) failures.push(`${at}: shows the not-found page`);
        await page.screenshot({ path: join(shots, `page-${spec.name}-${size.width}px.png`), fullPage: true });
        const overflow = await app.horizontalOverflow();
        if (overflow) {
          failures.push(
            `${at}: scrolls sideways: scrollWidth ${overflow.scrollWidth} > innerWidth ${overflow.innerWidth}; ` +
              `sticking out: ${overflow.culprits.join(", ") || "?"}`,
          );
        }
        for (const problem of await app.chartLabelProblems()) failures.push(`${at}: ${problem}`);
        if (size.width >= 1024) {
          for (const problem of await app.hiddenActionColumns()) failures.push(`${at}: action column out of view: ${problem}`);
        }
        for (const dead of await deadLinks(browser, base, await app.linkedPaths())) {
          failures.push(`${at}: links to ${dead}, which shows the not-found page`);
        }
      } finally {
        await context.close();
      }
      failures.push(...errors.map((e) => `${at}: ${e}`));
    }
    if (failures.length) throw new Error(`${failures.length} problem(s):\n  ${failures.join("\n  ")}`);
  });
}

// ---- Flows -------------------------------------------------------------------------------------

test("a wrong password shows an error and stays on the login page", async ({ page, base }) => {
  const login = new LoginPage(page, base);
  await login.open();
  await login.submit("admin@northwind.example", "not the password");
  assert.match(await login.error(), /wrong/i);
  assert.equal(new URL(page.url()).pathname, "/login");
  await page.screenshot({ path: join(shots, "login-error.png") });
}, { allowConsole: [/status of 401/] });

test("a distributor logs in, browses resellers, searches, opens one, reloads and logs out", async ({ page, base }) => {
  const login = new LoginPage(page, base);
  await login.open();
  await page.screenshot({ path: join(shots, "login.png") });
  await login.submit("admin@northwind.example", PASSWORD);
  // Home counts resellers as of today (docs/metrics.md §2.5): the demo's closed ones are not counted.
  const api = await apiAs(page, base, "/api/v1/dashboards/home");
  assert.equal(await new HomePage(page).kpi("kpi-resellers"), String(api.accounts.resellers));

  const shell = new Shell(page);
  await shell.go("nav-resellers");
  const table = new TablePage(page, "resellers-table");
  assert.equal(await table.rowCount(), 25, "the first page holds 25 resellers");
  assert.match(await table.pageInfo(), /40 in all/);
  await page.screenshot({ path: join(shots, "resellers.png"), fullPage: true });
  assert.equal(await table.firstCell(), "Alpine Cloud Partners", "sorted by name at first");
  await table.nextPage();
  await table.waitForRows(15);
  assert.match(await table.pageInfo(), /^Page 2 of 2/);

  await table.sortBy("name");
  await table.waitForFirstCell((first) => first.startsWith("Vertex"));
  await table.search("harbor");
  await table.waitForRows(1);
  assert.equal(await table.firstCell(), "Harbor IT Solutions");
  await table.openFirst();

  const org = new OrganizationPage(page);
  assert.equal(await org.name(), "Harbor IT Solutions");
  const url = page.url();
  assert.match(new URL(url).pathname, /^\/organizations\/\d+$/);
  await page.screenshot({ path: join(shots, "reseller.png"), fullPage: true });

  await page.reload();
  assert.equal(await org.name(), "Harbor IT Solutions", "a deep link survives a reload");
  assert.ok((await new TablePage(page, "org-customers-table").rowCount()) > 0, "a reseller's page lists its customers");

  await shell.logout();
  await page.waitForURL(/\/login/);
  await page.goto(url);
  await page.waitForURL(/\/login\?next=/);
});

test("Home shows the API's figures to a distributor and a reseller; a report downloads as CSV", async ({ page, base }) => {
  const login = new LoginPage(page, base);
  await login.open();
  await login.submit("admin@northwind.example", PASSWORD);
  const home = new HomePage(page);
  const kpi = await home.kpi("kpi-revenue");
  const api = await apiAs(page, base, "/api/v1/dashboards/home");
  assert.equal(kpi, usd(api.current_month_revenue.total));
  assert.notEqual(api.current_month_revenue.total, "0.00", "the demo data fills the month");
  assert.equal(api.projected_monthly_revenue.available, true);
  assert.equal(await home.kpi("kpi-projection"), usd(api.projected_monthly_revenue.value));
  assert.equal(await home.kpi("kpi-marketplace"), usd(api.marketplace_spend.current));
  assert.equal(await home.kpi("kpi-resellers"), String(api.accounts.resellers));
  assert.equal(await home.kpi("kpi-customers"), api.accounts.customers.toLocaleString("en-US"));
  assert.ok(api.onboarding_total > 0 && api.billing_issues_total > 0, "the demo has onboarding customers and billing issues");
  await page.getByTestId("onboarding").locator("tbody tr").first().waitFor();
  await page.getByTestId("billing-issues").locator("tbody tr").first().waitFor();
  await page.screenshot({ path: join(shots, "home-distributor.png"), fullPage: true });

  await page.getByTestId("menu-revenue").locator("summary").click();
  await page.getByText("Monthly revenue by service").click();
  await page.waitForURL((u) => u.pathname === pathOf("report-revenue"));
  const report = new ReportPage(page);
  assert.equal(await report.total(), usd(api.current_month_revenue.total), "the report's total is the pane's");
  const csv = await report.downloadCsv();
  assert.match(csv.name, /^revenue-.*\.csv$/);
  const lines = csv.text.trim().split("\n");
  assert.equal(lines[0], "month,dimension,key,name,revenue,cost,margin");
  assert.ok(lines.some((l) => l.includes(`,total,,,${api.current_month_revenue.total},`)), "the CSV holds the same total");
  await page.screenshot({ path: join(shots, "report-revenue.png"), fullPage: true });

  await new Shell(page).logout();
  await page.waitForURL(/\/login/);
  await login.submit("admin@alpine-cloud.example", PASSWORD);
  const reseller = await apiAs(page, base, "/api/v1/dashboards/home");
  assert.equal(reseller.org_kind, "reseller");
  assert.equal(await home.kpi("kpi-revenue"), usd(reseller.current_month_revenue.total));
  assert.equal(await home.kpi("kpi-active-customers"), String(reseller.accounts.active_customers));
  assert.ok(Number(reseller.current_month_revenue.total) < Number(api.current_month_revenue.total));
  await page.screenshot({ path: join(shots, "home-reseller.png"), fullPage: true });
});

test("a reseller activates a product in its portal and sees its balance fall", async ({ page, base }) => {
  const login = new LoginPage(page, base);
  await login.open();
  await login.submit("admin@alpine-cloud.example", PASSWORD);
  await new Shell(page).go("nav-portal");
  const home = new HomePage(page);
  const before = await apiAs(page, base, "/api/v1/portal/summary");
  assert.equal(await home.kpi("kpi-balance"), usd(before.balance));
  assert.ok((await page.getByTestId("activation").count()) > 0, "the demo reseller has activations");
  await page.screenshot({ path: join(shots, "portal.png"), fullPage: true });

  // A USD plan, the first client, 2 seats; the confirmation states the amount.
  const plan = page.getByTestId("activate-plan");
  await plan.locator("option").nth(1).waitFor({ state: "attached" });
  const labels = await plan.locator("option").allInnerTexts();
  await plan.selectOption({ index: labels.findIndex((l) => l.includes("$")) });
  const client = page.getByTestId("activate-client");
  await client.locator("option").nth(1).waitFor({ state: "attached" });
  await client.selectOption({ index: 1 });
  await page.getByTestId("activate-quantity").fill("2");
  let question = "";
  page.once("dialog", (d) => {
    question = d.message();
    d.accept();
  });
  await page.getByTestId("activate-submit").click();
  await page.waitForFunction(
    (old) => document.querySelector('[data-testid="kpi-balance"] [data-testid="kpi-value"]')?.innerText.trim() !== old,
    usd(before.balance),
    { timeout: 15000 },
  );
  const after = await apiAs(page, base, "/api/v1/portal/summary");
  assert.ok(Number(after.balance) < Number(before.balance), "the balance fell");
  assert.equal(await home.kpi("kpi-balance"), usd(after.balance));
  const ledger = await apiAs(page, base, "/api/v1/portal/ledger?per_page=1");
  assert.equal(ledger.items[0].kind, "activation");
  assert.equal(Number(ledger.items[0].amount), Number(after.balance) - Number(before.balance), "the ledger explains it");
  assert.ok(question.includes(usd(-Number(ledger.items[0].amount))), `the confirmation states the amount: ${question}`);
  await page.screenshot({ path: join(shots, "portal-after-activation.png"), fullPage: true });
});

test("a distributor picks a reseller and acts in its portal", async ({ page, base }) => {
  const login = new LoginPage(page, base);
  await login.open();
  await login.submit("admin@northwind.example", PASSWORD);
  await new Shell(page).go("nav-portal");
  const choice = page.getByTestId("portal-resellers");
  await choice.getByTestId("search").fill("Alpine");
  const link = choice.getByRole("link", { name: "Alpine Cloud Partners" });
  await link.click();
  await page.waitForURL((u) => u.searchParams.has("reseller_id"));
  const id = new URL(page.url()).searchParams.get("reseller_id");
  await page.locator("h1", { hasText: "Alpine Cloud Partners" }).waitFor();
  const summary = await apiAs(page, base, `/api/v1/portal/summary?reseller_id=${id}`);
  assert.equal(await new HomePage(page).kpi("kpi-balance"), usd(summary.balance));
  // Pausing an activation from the distributor's seat names the reseller, so it is allowed.
  const row = page.getByTestId("activation").filter({ has: page.getByTestId("pause") }).first();
  page.once("dialog", (d) => d.accept());
  const answer = page.waitForResponse((r) => r.url().includes("/pause?reseller_id=") || r.url().includes("/resume?reseller_id="));
  await row.getByTestId("pause").click();
  assert.equal((await answer).status(), 200);
  await page.screenshot({ path: join(shots, "portal-distributor.png"), fullPage: true });
});

test("a role that may not activate sees the portal without its actions", async ({ page, base }) => {
  const login = new LoginPage(page, base);
  await login.open();
  await login.submit("viewer@alpine-cloud.example", PASSWORD);
  await new Shell(page).go("nav-portal");
  await page.getByTestId("activation").first().waitFor({ timeout: 15000 });
  assert.equal(await page.getByTestId("activate-submit").count(), 0, "no activation form");
  assert.equal(await page.getByTestId("renew").count(), 0, "no renew buttons");
  const me = await apiAs(page, base, "/api/v1/me");
  assert.ok(!me.permissions.includes("activate"), "the API says so too");
  // A report viewer sees no money (docs/roles.md §3): no balance, prices or top-ups.
  assert.equal(await page.getByTestId("kpi-balance").count(), 0, "no balance card");
  assert.equal(await page.getByTestId("top-ups").count(), 0, "no top-ups");
  const price = page.getByTestId("activation").first().locator("td.num");
  assert.equal((await price.innerText()).trim(), "—", "the price is left out");
  await page.screenshot({ path: join(shots, "portal-report-viewer.png"), fullPage: true });
});

test("a distributor uploads a provider export, sees it counted, and makes a customer of an unmapped account", async ({ page, base }) => {
  const login = new LoginPage(page, base);
  await login.open();
  await login.submit(USERS.distributor, PASSWORD);
  await new Shell(page).go("nav-imports");
  await page.getByTestId("unmapped-accounts-table").waitFor({ timeout: 15000 });
  const csv =
    "BillingAccountId,SubAccountId,SubAccountName,BillingPeriodStart,ChargePeriodStart,ChargePeriodEnd,BilledCost,BillingCurrency,ChargeCategory,ServiceProviderName,ServiceName,SkuId\n" +
    "480011223344,480077000001,E2E Shop,2026-10-01 00:00:00,2026-10-02 00:00:00,2026-10-03 00:00:00,12.5,USD,Usage,AWS,Amazon EC2,NULL\n";
  await page.getByTestId("import-files").setInputFiles({ name: "e2e-export.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
  await page.getByTestId("import-submit").click();
  const summary = await page.getByTestId("import-summary").innerText({ timeout: 15000 });
  assert.match(summary, /1 rows: 0 counted, 1 held back/);
  const row = page.getByTestId("unmapped-account").filter({ hasText: "480077000001" });
  await row.waitFor({ timeout: 15000 });
  await page.getByTestId("account-reseller").selectOption({ index: 1 });
  await row.getByTestId("account-create").click();
  assert.match(await page.getByTestId("account-mapped").innerText({ timeout: 15000 }), /480077000001 now belongs to customer #\d+: 1 line\(s\) counted/);
  await page.screenshot({ path: join(shots, "flow-imports-mapped-1440px.png"), fullPage: true });
  // A refused file lists each problem once, with its rows.
  const bad = "BillingAccountId,ChargePeriodStart,ChargePeriodEnd,BilledCost,BillingCurrency,ChargeCategory,ProviderName,ServiceName\n" +
    "A,18/09/2024,2024-09-19,1,USD,Usage,AWS,EC2\n".repeat(30);
  await page.getByTestId("import-files").setInputFiles({ name: "bad.csv", mimeType: "text/csv", buffer: Buffer.from(bad) });
  await page.getByTestId("import-submit").click();
  await page.getByTestId("import-errors").waitFor({ timeout: 15000 });
  assert.equal(await page.getByTestId("import-error").count(), 1);
  assert.match(await page.getByTestId("import-error").innerText(), /rows 1, 2, 3, 4, 5 and 25 more/);
  await page.screenshot({ path: join(shots, "flow-imports-refused-1440px.png"), fullPage: true });
}, { allowConsole: [/status of 422/] });

test("Home's projection menu leads to the invoices, and an invoice to its services", async ({ page, base }) => {
  const login = new LoginPage(page, base);
  await login.open();
  await login.submit(USERS.distributor, PASSWORD);
  await page.getByTestId("menu-projection").locator("summary").click();
  await page.getByTestId("menu-projection").getByText("Review invoices").click();
  await page.waitForURL((u) => u.pathname === "/invoices", { timeout: 15000 });
  const first = page.getByTestId("invoices-table").locator("tbody tr a").first();
  await first.waitFor({ timeout: 15000 });
  await first.click();
  await page.getByTestId("invoice-services").waitFor({ timeout: 15000 });
  assert.match(await page.getByTestId("invoice-facts").innerText(), /Period/);
});

test("each Partners tile's number is the total of the list it opens", async ({ page, base }) => {
  const login = new LoginPage(page, base);
  await login.open();
  await login.submit(USERS.distributor, PASSWORD);
  await new Shell(page).go("nav-partners");
  await page.getByTestId("partner-tiles").waitFor({ timeout: 15000 });
  const links = page.locator("a.tile-link");
  const count = await links.count();
  assert.ok(count >= 8, `tiles linking to lists (the plans tile too): ${count}`);
  const tiles = [];
  for (let i = 0; i < count; i++) {
    tiles.push({ href: await links.nth(i).getAttribute("href"), shown: (await links.nth(i).locator(".value").innerText()).replace(/\D/g, "") });
  }
  for (const { href, shown } of tiles) {
    await page.goto(`${base}${href}`);
    const pager = page.locator("text=/in all/").first();
    const empty = page.getByText("No organisation matches.");
    await pager.or(empty).waitFor({ timeout: 15000 });
    const total = (await empty.count()) > 0 ? "0" : (await pager.innerText()).match(/([\d,]+) in all/)[1].replace(/\D/g, "");
    assert.equal(total, shown, `${href}: the tile says ${shown}, the list holds ${total}`);
  }
});

test("the Partners falls follow their threshold, and each list downloads whole as CSV", async ({ page, base }) => {
  const login = new LoginPage(page, base);
  await login.open();
  await login.submit(USERS.distributor, PASSWORD);
  await new Shell(page).go("nav-partners");
  const heading = page.locator("h2", { hasText: "Falling chargeable units" });
  await heading.waitFor({ timeout: 15000 });
  const total = async () => Number((await heading.innerText()).match(/([\d,]+)$/)[1].replace(/\D/g, ""));
  const atTen = await total();
  assert.ok(atTen > 0, "the demo has falling units");
  const falls = await downloadCsv(page, "falls-csv");
  assert.equal(falls.text.trim().split("\n").length, atTen + 1, "every fall and a header");
  assert.match(falls.text, /^sku,product_name,reseller_id/);
  await page.getByTestId("threshold").fill("99");
  await page.getByTestId("threshold").press("Tab");
  await page.waitForFunction((before) => {
    const h = [...document.querySelectorAll("h2")].find((e) => e.textContent.startsWith("Falling chargeable units"));
    return h && Number(h.textContent.match(/([\d,]+)$/)[1].replace(/\D/g, "")) < before;
  }, atTen, { timeout: 15000 });
  assert.ok((await total()) < atTen, "a higher threshold lists fewer falls");
  const groups = await page.getByTestId("fall-group").count();
  assert.ok(groups > 0 || (await total()) === 0, "falls are grouped by product");
  const figures = await downloadCsv(page, "console-csv");
  assert.match(figures.text, /^figure,key,value,list/);
  assert.match(figures.name, /^partners-\d{4}-\d{2}-\d{2}\.csv$/);
});

test("Insights shows the API's range figures, and a range of its own", async ({ page, base }) => {
  const login = new LoginPage(page, base);
  await login.open();
  await login.submit(USERS.distributor, PASSWORD);
  await new Shell(page).go("nav-insights");
  const kpis = page.getByTestId("insights-kpis");
  await kpis.waitFor({ timeout: 15000 });
  const summary = await apiAs(page, base, "/api/v1/insights/summary");
  const shown = async (id) => (await page.getByTestId(id).locator(".value").innerText()).replace(/\D/g, "");
  assert.equal(await shown("kpi-transacting"), String(summary.range.transacting));
  assert.equal(await shown("kpi-active"), String(summary.range.active));
  assert.ok(summary.range.transacting > 0, "the demo's resellers transact");
  const to = summary.range.to;
  const [y, m] = to.split("-").map(Number);
  const from = `${m > 3 ? y : y - 1}-${String(((m + 8) % 12) + 1).padStart(2, "0")}`;
  await page.locator("#month-from").fill(from);
  await page.locator("#month-from").dispatchEvent("change");
  const short = await apiAs(page, base, `/api/v1/insights/summary?from=${from}&to=${to}`);
  await page.waitForFunction((n) => {
    const v = document.querySelector('[data-testid="kpi-transacting"] .value');
    return v && v.textContent.replace(/\D/g, "") === String(n);
  }, short.range.transacting, { timeout: 15000 });
  const csv = await downloadCsv(page, "geography-csv");
  assert.match(csv.text, /^country,transacting,new,revenue/);
  // Customer segments: a row per segment the API names, and its rows as CSV.
  const segments = await apiAs(page, base, `/api/v1/insights/segments?from=${from}&to=${to}`);
  assert.ok(segments.segments.length >= 4, "the demo's customers span the segments");
  await new TablePage(page, "insights-segments").waitForRows(segments.segments.length);
  const rows = await downloadCsv(page, "segments-csv");
  assert.match(rows.text, /^month,partial,figure,segment,value/);
});

test("without a session a deep link goes to login and back", async ({ page, base }) => {
  await page.goto(`${base}/customers`);
  await page.waitForURL(/\/login\?next=%2Fcustomers/);
  await new LoginPage(page, base).submit("admin@alpine-cloud.example", PASSWORD, false);
  await page.waitForURL(/\/customers$/);
  const table = new TablePage(page, "customers-table");
  assert.ok((await table.rowCount()) > 0);
  const shell = new Shell(page);
  assert.equal(await shell.has("nav-resellers"), false, "a reseller has no resellers page");
  assert.equal(await shell.has("nav-customers"), true);
  await page.screenshot({ path: join(shots, "customers-reseller.png"), fullPage: true });
});

test("the app is usable at 390 px and from the keyboard", async ({ browser, base }) => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  const login = new LoginPage(page, base);
  await login.open();
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement?.id), "email", "Tab reaches the e-mail field first");
  await page.keyboard.type("admin@northwind.example");
  await page.keyboard.press("Tab");
  await page.keyboard.type(PASSWORD);
  await page.keyboard.press("Enter");
  await new HomePage(page).kpi("kpi-resellers");
  // The navigation is folded behind the menu button until it is pressed.
  const shell = new Shell(page);
  await page.getByTestId("nav-links").waitFor({ state: "attached" });
  assert.equal(await shell.menuToggle().getAttribute("aria-expanded"), "false", "the menu starts closed");
  assert.equal(await page.getByTestId("nav-resellers").isVisible(), false, "the links are hidden while it is closed");
  await shell.go("nav-resellers");
  await new TablePage(page, "resellers-table").waitForRows(25);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 1, `the page does not scroll sideways at 390 px (${overflow}px)`);
  await page.screenshot({ path: join(shots, "resellers-390px.png"), fullPage: true });
  await context.close();
});

test("at 1440 px the navigation is always shown and the menu button is not", async ({ browser, base }) => {
  const context = await contextAt(browser, WIDTHS[0], await tokenFor(base, USERS.distributor));
  const page = await context.newPage();
  await new AppPage(page, base).open("/");
  assert.equal(await new Shell(page).menuToggle().isVisible(), false);
  assert.equal(await page.getByTestId("nav-resellers").isVisible(), true);
  await context.close();
});

test("a failed call shows the problem's title and detail, as an alert, with a way back", async ({ page, base }) => {
  const login = new LoginPage(page, base);
  await login.open();
  await login.submit(USERS.distributor, PASSWORD);
  const token = await page.evaluate(() => sessionStorage.getItem("tierdash.token"));
  const response = await fetch(`${base}/api/v1/organizations/999999999`, { headers: { Authorization: `Bearer ${token}` } });
  assert.equal(response.status, 404);
  const problem = await response.json();
  await page.goto(`${base}/organizations/999999999`);
  const error = new ErrorState(page);
  assert.equal(await error.title(), problem.title, "headed by the problem's title");
  if (problem.detail) assert.equal(await error.detail(), problem.detail);
  assert.equal(await error.role(), "alert");
  await page.screenshot({ path: join(shots, "error-unknown-organization.png"), fullPage: true });
  await error.back().click();
  await page.waitForURL((u) => u.pathname === "/");
}, { allowConsole: [/status of 404/] });

test("usage reports: a distributor generates a reseller's CSV, sees it become ready without a reload, and downloads it", async ({ page, base }) => {
  const login = new LoginPage(page, base);
  await login.open();
  await login.submit(USERS.distributor, PASSWORD);
  await new Shell(page).go("nav-reports");
  await page.waitForURL((u) => u.pathname === "/reports", { timeout: 15000 });
  const services = new TablePage(page, "usage-services");
  assert.ok((await services.rowCount()) >= 1, "the summary lists the month's services");
  assert.match(await page.getByTestId("usage-updated").innerText(), /^Usage (updated|not updated yet)/);
  const reports = new UsageReportsPage(page);
  await reports.tab("resellers");
  const reseller = await reports.firstResellerWithUsage();
  // A reload would lose this mark: the status must change in the page as it is.
  await page.evaluate(() => { window.notReloaded = true; });
  const requested = await reports.generateFor(reseller);
  assert.ok(["pending", "generating", "ready"].includes(requested.status), `requested: ${requested.status}`);
  await reports.waitForRowStatus(reseller, requested.id, "ready");
  assert.equal(await page.evaluate(() => window.notReloaded), true, "the page was not reloaded");
  const { name, text } = await reports.exportFor(reseller);
  assert.match(name, /^reseller_usage-\d{4}-\d{2}-\d+\.csv$/);
  const [header, ...rows] = text.trim().split(/\r?\n/);
  assert.equal(header, "reseller_external_id,reseller_name,service,provider,consumed_quantity,chargeable_units,revenue,line_count");
  assert.ok(rows.length >= 1, "the CSV has rows");
  // The export tab lists it, newest first, ready, with its rows counted.
  await reports.tab("export");
  const listed = page.locator(`[data-testid="reports-table"] tr[data-report-id="${requested.id}"]`);
  await listed.locator('[data-status="ready"]').waitFor({ timeout: 15000 });
  assert.equal(await page.locator('[data-testid="reports-table"] tr[data-report-id]').first().getAttribute("data-report-id"), String(requested.id));
  await page.screenshot({ path: join(shots, "flow-usage-reports-export-1440px.png"), fullPage: true });
});

test("usage reports: a report viewer sees usage and reports but no Generate or Delete button", async ({ page, base }) => {
  const login = new LoginPage(page, base);
  await login.open();
  await login.submit(USERS.viewer, PASSWORD);
  await new Shell(page).go("nav-reports");
  await new TablePage(page, "usage-services").rowCount();
  const reports = new UsageReportsPage(page);
  await reports.tab("resellers");
  await reports.resellerRows().first().waitFor({ timeout: 15000 });
  assert.equal(await page.getByTestId("reseller-generate").count(), 0, "no Generate CSV buttons");
  await reports.tab("export");
  await page.getByTestId("reports-table").or(page.getByTestId("empty")).first().waitFor({ timeout: 15000 });
  assert.equal(await page.getByTestId("generate-reports").count(), 0, "no Generate buttons");
  assert.equal(await page.getByTestId("report-delete").count(), 0, "no Delete buttons");
  const me = await apiAs(page, base, "/api/v1/me");
  assert.ok(!me.permissions.includes("generate_reports"), "the API says so too");
});

test("usage reports: the Partners report tiles count by status and open the reports list", async ({ page, base }) => {
  const login = new LoginPage(page, base);
  await login.open();
  await login.submit(USERS.distributor, PASSWORD);
  await new Shell(page).go("nav-partners");
  const tile = page.getByTestId("tile-usage-reports");
  await tile.waitFor({ timeout: 15000 });
  await page.getByTestId("tile-billing-reports").waitFor({ timeout: 15000 });
  const dashboard = await apiAs(page, base, "/api/v1/dashboards/partners");
  for (const [status, { count }] of Object.entries(dashboard.usage_report_status)) {
    const shown = await tile.locator(`li[data-status="${status}"] [data-testid="report-count"]`).innerText();
    assert.equal(shown.replace(/\D/g, ""), String(count), `usage reports ${status}`);
  }
  await tile.click();
  await page.waitForURL((u) => u.pathname === "/reports" && u.searchParams.get("tab") === "export", { timeout: 15000 });
  await page.getByTestId("reports-table").waitFor({ timeout: 15000 });
  assert.equal(await page.getByTestId("tab-export").getAttribute("aria-current"), "page");
});

test("the reports' old addresses lead to where they are now", async ({ browser, base }) => {
  const context = await contextAt(browser, WIDTHS[0], await tokenFor(base, USERS.distributor));
  const page = await context.newPage();
  for (const { from, to } of MOVED) {
    await page.goto(`${base}${from}`);
    await page.waitForURL((u) => u.pathname === to, { timeout: 15000 });
  }
  await context.close();
});

const { base, child, data } = await startServer();
const browser = await chromium.launch({
  executablePath: chromiumPath,
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
});
let failed = 0;
// E2E_ONLY=<pattern> runs only the tests whose name matches it, any case (while working on one page).
const only = process.env.E2E_ONLY;
const chosen = tests.filter((t) => !only || new RegExp(only, "i").test(t.name));
try {
  for (const { name, fn, allowConsole } of chosen) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "en-US" });
    const page = await context.newPage();
    const errors = watchConsole(page);
    const started = Date.now();
    try {
      await fn({ page, base, browser });
      const unexpected = errors.filter((e) => !allowConsole.some((allowed) => allowed.test(e)));
      assert.deepEqual(unexpected, [], "no console or script errors in the page");
      const took = `(${((Date.now() - started) / 1000).toFixed(1)} s)`;
      console.log(`ok - ${name} ${took}`);
    } catch (e) {
      failed++;
      console.log(`not ok - ${name}\n  ${String(e.stack ?? e).split("\n").join("\n  ")}`);
      await page.screenshot({ path: join(shots, `failed-${tests.findIndex((t) => t.name === name)}.png`), fullPage: true }).catch(() => {});
    } finally {
      await context.close();
    }
  }
} finally {
  await browser.close();
  child.kill("SIGTERM");
  rmSync(data, { recursive: true, force: true });
}
console.log(`# link check: ${checkedShapes.size} in-app route shapes opened: ${[...checkedShapes.keys()].sort().join(" ")}`);
console.log(`${chosen.length - failed} passed, ${failed} failed; screenshots in ${shots}`);
process.exit(failed ? 1 : 0);
