import { expect, Page, TestInfo } from "@playwright/test";

/** Whether this run has JavaScript (the "hydrated" and "csr" projects) or proves plain SSR ("nojs"). */
export function hydrated(info: TestInfo): boolean {
  return info.project.name !== "nojs";
}

/** Opens `path`; in the hydrated project waits for the app's hydration marker before returning. */
export async function open(page: Page, info: TestInfo, path: string): Promise<void> {
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  // Chromium reports every script, WASM or fetch the Content-Security-Policy blocks on the console.
  page.on("console", (m) => {
    if (/Content Security Policy/i.test(m.text())) errors.push(m.text());
  });
  await page.goto(path);
  if (hydrated(info)) {
    await expect(page.locator("body[data-hydrated=true]")).toHaveCount(1);
    expect(errors, "no uncaught errors or CSP violations while hydrating").toEqual([]);
  }
}

let seq = 0;

/** Registers a fresh student through the register page and stays logged in. */
export async function registerStudent(page: Page, info: TestInfo): Promise<string> {
  seq += 1;
  const name = `stu_${info.project.name}_${Date.now() % 1_000_000_000}_${seq}`;
  await open(page, info, "/register?next=/orders");
  await page.getByLabel("用户名").fill(name);
  await page.getByLabel("密码（至少 8 位）").fill("password123");
  await page.getByRole("button", { name: "注册并登录" }).click();
  await expect(page).toHaveURL(/\/orders$/);
  await expect(page.getByTestId("username")).toHaveText(name);
  return name;
}

/** Sets the embedded sandbox gateway's fault injection (an empty object restores Alipay's behaviour). */
export async function setFaults(page: Page, faults: Record<string, unknown>): Promise<void> {
  const resp = await page.request.post("/sandbox/admin/faults", { data: faults });
  expect(resp.ok()).toBeTruthy();
}

/** From a course page: 立即购买 → sandbox cashier → 确认付款 → back on /pay/success. */
export async function buyAndPay(page: Page, info: TestInfo, courseId: number): Promise<void> {
  await open(page, info, `/course/${courseId}`);
  await page.getByRole("button", { name: "立即购买" }).click();
  await expect(page).toHaveURL(/\/sandbox\/cashier\//);
  await expect(page.locator("#amount")).toContainText("¥");
  await page.locator("#confirm-pay").click();
  await expect(page).toHaveURL(/\/pay\/success\?/);
}

/** The /pay/success page shows a confirmed payment with its numbers. */
export async function expectPaid(page: Page): Promise<void> {
  await expect(page.getByTestId("pay-status")).toHaveText("支付成功", { timeout: 20_000 });
  await expect(page.getByTestId("out-trade-no")).toHaveText(/^CP\d{14}[0-9A-F]{20}$/);
  await expect(page.getByTestId("trade-no")).toHaveText(/^\d{28}$/);
  await expect(page.getByTestId("pay-time")).toHaveText(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
}
