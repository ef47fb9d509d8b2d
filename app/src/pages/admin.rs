use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::api::{AdminRefund, admin_orders, admin_summary, admin_timeline};
use crate::components::{ErrorNotice, action_error};
use crate::dto_admin::{AdminOrderDto, DayDto, TimelinePageDto};

/// The filter's choices: a status code, or `None` for every status.
const STATUSES: [(Option<i16>, &str); 6] = [
    (None, "全部"),
    (Some(0), "未支付"),
    (Some(1), "已支付"),
    (Some(2), "已取消"),
    (Some(3), "超时取消"),
    (Some(4), "已退款"),
];

/// `/admin`: the merchant console (admin accounts only). Query: `status`, `q`, `order`.
#[component]
pub fn AdminPage() -> impl IntoView {
    let query = use_query_map();
    let status = Memo::new(move |_| {
        query
            .read()
            .get("status")
            .and_then(|s| s.parse::<i16>().ok())
            .filter(|code| STATUSES.iter().any(|(c, _)| *c == Some(*code)))
    });
    let search = Memo::new(move |_| query.read().get("q").unwrap_or_default());
    let selected = Memo::new(move |_| query.read().get("order").filter(|s| !s.is_empty()));
    let after = Memo::new(move |_| {
        query
            .read()
            .get("after")
            .and_then(|s| s.parse::<i64>().ok())
    });
    let refund = ServerAction::<AdminRefund>::new();
    let orders = Resource::new(
        move || (status.get(), search.get(), refund.version().get()),
        |(s, q, _)| admin_orders(s, q),
    );
    let summary = Resource::new(move || refund.version().get(), |_| admin_summary());
    view! {
        <h1>"商户后台"</h1>
        <Suspense fallback=|| view! { <p class="loading">"加载中…"</p> }>
            {move || Suspend::new(async move {
                match summary.await {
                    Ok(days) => view! { <Summary days/> }.into_any(),
                    Err(e) => view! { <p class="notice notice-error">{e.to_string()}</p> }.into_any(),
                }
            })}
        </Suspense>
        <form method="get" action="/admin" class="card filters">
            <label>"状态 "
                <select name="status">
                    {STATUSES.iter().map(|(code, label)| view! {
                        <option value=code.map(|c| c.to_string()).unwrap_or_default() selected=move || status.get() == *code>{*label}</option>
                    }).collect_view()}
                </select>
            </label>
            <label>" 订单号 / 用户名 " <input name="q" value=move || search.get()/></label>
            <button class="btn btn-primary" type="submit">"筛选"</button>
        </form>
        {move || selected.get().map(|no| view! { <OrderPanel out_trade_no=no after refund/> })}
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                orders.await.ok().map(|list| view! { <AdminOrderTable list/> })
            })}
        </Suspense>
    }
}

#[component]
fn Summary(days: Vec<DayDto>) -> impl IntoView {
    let max = days.iter().map(|d| d.paid_cents).max().unwrap_or(0).max(1);
    let width = 40 * days.len();
    view! {
        <section class="card summary">
            <h2>"近 7 日"</h2>
            <svg class="chart" width=width height="120" role="img" aria-label="每日收款">
                {days.iter().enumerate().map(|(i, d)| {
                    let h = 100 * d.paid_cents / max;
                    view! {
                        <rect x=(i * 40 + 8).to_string() y=(105 - h).to_string() width="24" height=h.max(1).to_string() fill="#1677ff">
                            <title>{format!("{} ¥{}", d.day, d.paid)}</title>
                        </rect>
                        <text x=(i * 40 + 20).to_string() y="118" font-size="9" text-anchor="middle">{d.day[5..].to_owned()}</text>
                    }
                }).collect_view()}
            </svg>
            <table class="orders">
                <thead><tr><th>"日期"</th><th>"订单数"</th><th>"已支付"</th><th>"收款"</th><th>"退款"</th></tr></thead>
                <tbody>
                    {days.into_iter().rev().map(|d| view! {
                        <tr><td>{d.day}</td><td>{d.orders}</td><td>{d.paid_orders}</td><td>"¥"{d.paid}</td><td>"¥"{d.refunded}</td></tr>
                    }).collect_view()}
                </tbody>
            </table>
        </section>
    }
}

#[component]
fn AdminOrderTable(list: Vec<AdminOrderDto>) -> impl IntoView {
    view! {
        <table class="orders admin-orders">
            <thead><tr>
                <th>"订单号"</th><th>"用户"</th><th>"课程"</th><th>"金额"</th><th>"已退款"</th>
                <th>"状态"</th><th>"下单时间"</th><th>"付款时间"</th>
            </tr></thead>
            <tbody>
                {list.into_iter().map(|o| view! {
                    <tr data-out-trade-no=o.out_trade_no.clone()>
                        <td><a href=format!("/admin?order={}", o.out_trade_no)>{o.out_trade_no.clone()}</a></td>
                        <td>{o.username}</td>
                        <td>{o.subject}</td>
                        <td>"¥"{o.total}</td>
                        <td>"¥"{o.refunded}</td>
                        <td><span class=format!("status status-{}", o.status)>{o.status_label}</span></td>
                        <td>{o.created_at}</td>
                        <td>{o.pay_time.unwrap_or_else(|| "—".to_owned())}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
}

/// The selected order: a page of its timeline (query `after`) and the refund form.
#[component]
fn OrderPanel(
    out_trade_no: String,
    after: Memo<Option<i64>>,
    refund: ServerAction<AdminRefund>,
) -> impl IntoView {
    let no = out_trade_no.clone();
    let timeline = Resource::new(
        move || (no.clone(), after.get(), refund.version().get()),
        |(no, after, _)| admin_timeline(no, after),
    );
    let no = out_trade_no.clone();
    let done = move || refund.value().get().and_then(Result::ok);
    view! {
        <section class="card order-panel">
            <h2>"订单 " <span class="mono">{out_trade_no.clone()}</span></h2>
            <Suspense fallback=|| view! { <p class="loading">"加载中…"</p> }>
                {move || {
                    let no = no.clone();
                    Suspend::new(async move {
                    match timeline.await {
                        Ok(page) => view! { <Timeline page out_trade_no=no first=after.get_untracked().is_none()/> }.into_any(),
                        Err(e) => view! { <p class="notice notice-error">{e.to_string()}</p> }.into_any(),
                    }
                })}}
            </Suspense>
            <ActionForm action=refund attr:class="refund-form">
                <input type="hidden" name="out_trade_no" value=out_trade_no/>
                <label>"退款金额 ¥" <input name="amount" required inputmode="decimal" placeholder="例如 99.00"/></label>
                <label>" 原因 " <input name="reason" placeholder="商户后台退款"/></label>
                <button class="btn btn-ghost" type="submit">"退款"</button>
            </ActionForm>
            <ErrorNotice message=action_error(refund)/>
            {move || done().map(|m| view! { <p class="notice notice-ok" role="status">{m}</p> })}
        </section>
    }
}

/// `/admin?order=...&after=...`, the query encoded.
fn timeline_href(out_trade_no: &str, after: Option<i64>) -> String {
    let no: String = url::form_urlencoded::byte_serialize(out_trade_no.as_bytes()).collect();
    match after {
        Some(a) => format!("/admin?order={no}&after={a}"),
        None => format!("/admin?order={no}"),
    }
}

#[component]
fn Timeline(page: TimelinePageDto, out_trade_no: String, first: bool) -> impl IntoView {
    let refused = page.refused_not_stored;
    let next = page
        .next_after
        .map(|a| timeline_href(&out_trade_no, Some(a)));
    let back = (!first).then(|| timeline_href(&out_trade_no, None));
    view! {
        <ol class="timeline">
            {page.entries.into_iter().map(|e| view! {
                <li>
                    <span class="mono">{e.at}</span>" "
                    <b>{e.source}</b>" "
                    {e.trade_status.unwrap_or_default()}" → "
                    <span class="verdict">{e.verdict}</span>" "
                    <span class="detail">{e.detail}</span>
                </li>
            }).collect_view()}
        </ol>
        {(refused > 0).then(|| view! {
            <p class="notice notice-info refused-count">
                {format!("另有 {refused} 条验签失败的通知超出记录上限，仅计数未保存")}
            </p>
        })}
        <p class="timeline-pages">
            {back.map(|href| view! { <a class="timeline-first" href=href>"← 第一页"</a> " " })}
            {next.map(|href| view! { <a class="timeline-next" href=href>"下一页 →"</a> })}
        </p>
    }
}
