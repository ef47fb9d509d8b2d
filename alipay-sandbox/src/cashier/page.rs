//! The cashier page, in Chinese, shaped like Alipay's.

use alipay::clock::beijing;
use alipay::money::Money;

use crate::html::{esc, page};
use crate::ids::{BUYER_ACCOUNT, BUYER_PASSWORD};
use crate::store::trade;

/// What the cashier page shows.
pub struct CashierView<'a> {
    pub trade: &'a trade::Model,
    pub merchant: &'a str,
    pub cashier_url: &'a str,
    /// Real milliseconds left before the trade closes (the clock may run scaled).
    pub remaining_ms: u64,
    /// The countdown script's URL.
    pub script_url: &'a str,
    pub error: Option<&'a str>,
}

pub fn cashier(v: &CashierView<'_>) -> String {
    let t = v.trade;
    let amount = Money::from_cents(t.total_cents).to_string();
    let error = v
        .error
        .map(|e| format!("<p class=\"err\" id=\"login-error\">{}</p>", esc(e)))
        .unwrap_or_default();
    let body = format!(
        r#"<div style="display:flex;justify-content:space-between;flex-wrap:wrap;gap:16px">
<div><p class="muted">收款方：<span id="merchant">{merchant}</span></p>
<h2 id="subject" style="margin:4px 0">{subject}</h2>
<p class="muted">订单号：<span id="out-trade-no">{out}</span>　交易号：<span id="trade-no">{trade_no}</span></p></div>
<div style="text-align:right"><span class="muted">应付金额</span><br><span class="amount" id="amount">¥{amount}</span></div></div>
<p id="expiry">请在 <b id="expire-at">{expire}</b>（北京时间）前完成付款，剩余 <b id="countdown" data-ms="{remaining}">—</b></p>
<hr style="border:0;border-top:1px solid #eee">
<div style="display:flex;gap:48px;flex-wrap:wrap">
<div style="text-align:center"><p>扫一扫付款（沙箱）</p><div id="qr" style="width:180px">{qr}</div>
<p class="muted">打开手机支付宝扫一扫</p></div>
<div><p>登录账户付款（沙箱买家）</p>{error}
<form method="post" action="{pay}" id="pay-form">
<p><label>账户名<br><input name="account" id="account" value="{account}"></label></p>
<p><label>支付密码<br><input name="password" id="password" type="password" value="{password}"></label></p>
<p class="muted">沙箱买家账号：{account}　支付密码：{password}</p>
<p><button type="submit" id="confirm-pay">确认付款</button></p></form>
<form method="post" action="{cancel}" id="cancel-form"><button type="submit" class="secondary" id="cancel">取消</button></form>
</div></div>
<script src="{script}" defer></script>"#,
        merchant = esc(v.merchant),
        subject = esc(&t.subject),
        out = esc(&t.out_trade_no),
        trade_no = esc(&t.trade_no),
        amount = amount,
        expire = beijing(t.time_expire),
        remaining = v.remaining_ms,
        qr = crate::qr::svg(v.cashier_url),
        error = error,
        pay = esc(&format!("{}/pay", v.cashier_url)),
        cancel = esc(&format!("{}/cancel", v.cashier_url)),
        script = esc(v.script_url),
        account = BUYER_ACCOUNT,
        password = BUYER_PASSWORD,
    );
    page("支付宝 - 网上支付 安全快速！", &body)
}

/// After 取消: Alipay leaves the trade open until it expires and offers the way back.
pub fn cancelled(t: &trade::Model, back: Option<&str>) -> String {
    let link = back
        .map(|u| {
            format!(
                "<p><a class=\"btn\" id=\"back\" href=\"{}\">返回商户网站</a></p>",
                esc(u)
            )
        })
        .unwrap_or_default();
    let body = format!(
        "<h2>您已取消付款</h2><p>订单 <span id=\"out-trade-no\">{}</span>（{}）尚未支付。</p>{}",
        esc(&t.out_trade_no),
        esc(&t.subject),
        link
    );
    page("支付宝 - 已取消付款", &body)
}

/// Paid, and the merchant gave no return_url.
pub fn paid(t: &trade::Model, back: Option<&str>) -> String {
    let link = back
        .map(|u| {
            format!(
                "<p><a class=\"btn\" href=\"{}\">返回商户网站</a></p>",
                esc(u)
            )
        })
        .unwrap_or_default();
    let body = format!(
        "<h2>付款成功</h2><p>您已成功付款 <span class=\"amount\">¥{}</span></p><p class=\"muted\">交易号：{}</p>{}",
        Money::from_cents(t.total_cents),
        esc(&t.trade_no),
        link
    );
    page("支付宝 - 付款成功", &body)
}
