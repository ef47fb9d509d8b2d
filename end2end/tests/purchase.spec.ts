import { expect, test } from "@playwright/test";
import { buyAndPay, expectPaid, hydrated, open, registerStudent, setFaults } from "./helpers";

test.describe.configure({ mode: "serial" });

test.afterEach(async ({ page }) => {
  await setFaults(page, {});
});

test("logged out, 立即购买 asks to log in first and returns to the course", async ({ page }, info) => {
  await open(page, info, "/course/1");
  await expect(page.getByRole("heading", { name: "Python 开发入门" })).toBeVisible();
  await page.getByRole("link", { name: "立即购买" }).click();
  await expect(page).toHaveURL(/\/login\?next=\/course\/1/);
  await expect(page.getByText("请先登录")).toBeVisible();
  await page.getByLabel("用户名").fill("student");
  await page.getByLabel("密码").fill("coursepay123");
  await page.getByRole("button", { name: "登录" }).click();
  await expect(page).toHaveURL(/\/course\/1$/);
  await expect(page.getByTestId("username")).toHaveText("student");
});

test("a wrong password is refused in Chinese", async ({ page }, info) => {
  await open(page, info, "/login");
  await page.getByLabel("用户名").fill("student");
  await page.getByLabel("密码").fill("not-the-password");
  await page.getByRole("button", { name: "登录" }).click();
  if (hydrated(info)) {
    await expect(page.getByRole("alert")).toHaveText("用户名或密码错误");
  } else {
    await expect(page.getByText("用户名或密码错误")).toBeVisible();
  }
});

test("buy → cashier → pay → 支付成功 → 已支付 → 立即学习", async ({ page }, info) => {
  await registerStudent(page, info);
  await buyAndPay(page, info, 2);
  await expectPaid(page);
  await expect(page.getByTestId("amount")).toHaveText("¥299.00");
  await page.getByRole("link", { name: "立即学习" }).click();
  await expect(page).toHaveURL(/\/course\/2#learn$/);
  await expect(page.getByRole("heading", { name: "课程目录" })).toBeVisible();
  await open(page, info, "/orders");
  const row = page.locator("table.orders tbody tr").first();
  await expect(row.locator(".status")).toHaveText("已支付");
  await expect(row).toContainText("Django 项目实战");
  await open(page, info, "/course/2");
  await expect(page.getByRole("link", { name: "立即学习" })).toBeVisible();
  await expect(page.getByRole("button", { name: "立即购买" })).toHaveCount(0);
});

test("the notify arrives before the browser returns", async ({ page }, info) => {
  await registerStudent(page, info);
  await setFaults(page, { notify_before_return: true });
  await buyAndPay(page, info, 3);
  await expectPaid(page);
});

test("every notify is dropped: the trade query confirms the payment", async ({ page }, info) => {
  await registerStudent(page, info);
  await setFaults(page, { drop_all_notifies: true });
  await buyAndPay(page, info, 4);
  await expectPaid(page);
  await open(page, info, "/orders");
  await expect(page.locator("table.orders tbody tr").first().locator(".status")).toHaveText("已支付");
});
