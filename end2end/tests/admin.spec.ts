import { readFileSync } from "node:fs";
import { expect, Page, test, TestInfo } from "@playwright/test";
import { buyAndPay, expectPaid, hydrated, open, registerStudent } from "./helpers";

// scripts/e2e-server.sh runs each server on its own data folder (data/e2e, data/e2e-csr); the seeded
// admin's password is generated there.
const adminPassword = (info: TestInfo) => {
  const data = info.project.name === "csr" ? "e2e-csr" : "e2e";
  return readFileSync(`${__dirname}/../../data/${data}/keys/admin_password`, "utf8").trim();
};

async function login(page: Page, info: TestInfo, username: string, password: string, next: string) {
  await open(page, info, `/login?next=${next}`);
  await page.getByLabel("用户名").fill(username);
  await page.getByLabel("密码").fill(password);
  await page.getByRole("button", { name: "登录" }).click();
  await expect(page).toHaveURL(new RegExp(`${next.replace("?", "\\?")}$`));
}

test("the merchant refunds a paid order from the console", async ({ page }, info) => {
  await registerStudent(page, info);
  await buyAndPay(page, info, 5);
  await expectPaid(page);
  const no = (await page.getByTestId("out-trade-no").textContent())!.trim();
  await page.context().clearCookies();

  await login(page, info, "admin", adminPassword(info), "/admin");
  await expect(page.getByRole("heading", { name: "近 7 日" })).toBeVisible();
  await open(page, info, `/admin?order=${no}&q=${no}`);
  const row = page.locator(`tr[data-out-trade-no="${no}"]`);
  await expect(row.locator(".status")).toHaveText("已支付");
  await expect(page.locator(".timeline")).toContainText("notify");
  await expect(page.locator(".timeline")).toContainText("applied");
  await page.getByLabel("退款金额 ¥").fill("159.00");
  await page.getByLabel("原因").fill("学员申请退款");
  await page.getByRole("button", { name: "退款" }).click();
  if (hydrated(info)) {
    await expect(page.getByRole("status")).toContainText("退款成功");
  }
  await open(page, info, `/admin?order=${no}&q=${no}`);
  await expect(row.locator(".status")).toHaveText("已退款");
  await expect(page.locator(".timeline")).toContainText("refund");
});

test("a student cannot open the console", async ({ page }, info) => {
  await registerStudent(page, info);
  await open(page, info, "/admin");
  await expect(page.getByText("无权访问商户后台").first()).toBeVisible();
});

test("a student cancels an unpaid order", async ({ page }, info) => {
  await registerStudent(page, info);
  await open(page, info, "/course/6");
  await page.getByRole("button", { name: "立即购买" }).click();
  await expect(page).toHaveURL(/\/sandbox\/cashier\//);
  await open(page, info, "/orders");
  const row = page.locator("table.orders tbody tr").first();
  await expect(row.locator(".status")).toHaveText("未支付");
  await row.getByRole("button", { name: "取消订单" }).click();
  await expect(page.locator("table.orders tbody tr").first().locator(".status")).toHaveText("已取消");
});
