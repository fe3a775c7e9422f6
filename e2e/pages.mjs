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
  async go(testid) {
    await this.page.getByTestId(testid).click({ timeout: T });
  }
  async has(testid) {
    await this.page.getByTestId("who").waitFor({ timeout: T });
    return (await this.page.getByTestId(testid).count()) > 0;
  }
  async logout() {
    await this.page.getByTestId("logout").click({ timeout: T });
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
    const [download] = await Promise.all([
      this.page.waitForEvent("download", { timeout: T }),
      this.page.getByTestId("download-csv").click(),
    ]);
    const stream = await download.createReadStream();
    let text = "";
    for await (const chunk of stream) text += chunk;
    return { name: download.suggestedFilename(), text };
  }
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
