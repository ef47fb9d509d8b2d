use leptos::prelude::*;
use leptos_meta::Meta;
use leptos_router::components::A;
use leptos_router::hooks::use_location;

use crate::api::{confirm_return, order_status};
use crate::dto::OrderDto;

/// `/pay/success`: where Alipay's cashier sends the buyer back. The return query is verified on
/// the server; the page says 支付确认中 until the order is confirmed paid, then 支付成功.
#[component]
pub fn PaySuccessPage() -> impl IntoView {
    // The return query as the gateway sent it, read once: navigating away must not re-verify.
    let query = use_location().search.get_untracked();
    let result = Resource::new(move || query.clone(), confirm_return);
    view! {
        <Suspense fallback=|| view! { <p class="loading">"正在确认支付结果…"</p> }>
            {move || Suspend::new(async move {
                match result.await {
                    Ok(order) => view! { <PayResult order/> }.into_any(),
                    Err(e) => {
                        view! {
                            <section class="card pay-result">
                                <p class="big">"支付结果无法确认"</p>
                                <p class="notice notice-error">{e.to_string()}</p>
                                <A href="/orders" attr:class="btn btn-ghost">"查看我的订单"</A>
                            </section>
                        }
                            .into_any()
                    }
                }
            })}
        </Suspense>
    }
}

/// The order's numbers, and its status kept fresh until paid.
#[component]
fn PayResult(order: OrderDto) -> impl IntoView {
    let trade_no_from_return = order.trade_no.clone();
    let current = RwSignal::new(order);
    poll_until_settled(current);
    let paid = move || current.read().status == 1;
    let course_href = move || {
        current
            .read()
            .course_ids
            .first()
            .map_or_else(|| "/".to_owned(), |id| format!("/course/{id}#learn"))
    };
    view! {
        <Show when=move || !paid() && current.read().status == 0>
            // Without JavaScript the page reloads itself until the payment is confirmed.
            <noscript><Meta http_equiv="refresh" content="2"/></noscript>
        </Show>
        <section class="card pay-result">
            <p class="big" data-testid="pay-status">
                {move || if paid() { "支付成功".to_owned() } else if current.read().status == 0 { "支付确认中".to_owned() } else { current.read().status_label.clone() }}
            </p>
            <dl>
                <dt>"订单号"</dt>
                <dd data-testid="out-trade-no">{move || current.read().out_trade_no.clone()}</dd>
                <dt>"交易号"</dt>
                <dd data-testid="trade-no">
                    {move || current.read().trade_no.clone().or_else(|| trade_no_from_return.clone()).unwrap_or_default()}
                </dd>
                <dt>"付款时间"</dt>
                <dd data-testid="pay-time">{move || current.read().pay_time.clone().unwrap_or_else(|| "—".to_owned())}</dd>
                <dt>"支付金额"</dt>
                <dd data-testid="amount">"¥"{move || current.read().total.clone()}</dd>
                <dt>"课程"</dt>
                <dd>{move || current.read().subject.clone()}</dd>
            </dl>
            <Show
                when=paid
                fallback=|| view! { <p class="notice notice-info">"支付宝正在通知我们，请稍候…"</p> }
            >
                <a class="btn btn-primary" href=course_href>"立即学习"</a>
            </Show>
        </section>
    }
}

/// While the order is unpaid, asks the server for its status every 1.5 s (in the browser only).
fn poll_until_settled(current: RwSignal<OrderDto>) {
    #[cfg(any(feature = "hydrate", feature = "csr"))]
    {
        use std::time::Duration;
        let handle = set_interval_with_handle(
            move || {
                if current.get_untracked().status != 0 {
                    return;
                }
                let no = current.get_untracked().out_trade_no;
                leptos::task::spawn_local(async move {
                    if let Ok(fresh) = order_status(no).await {
                        let trade_no = fresh.trade_no.clone().or(current.get_untracked().trade_no);
                        current.set(OrderDto { trade_no, ..fresh });
                    }
                });
            },
            Duration::from_millis(1500),
        );
        if let Ok(h) = handle {
            on_cleanup(move || h.clear());
        }
    }
    #[cfg(not(any(feature = "hydrate", feature = "csr")))]
    {
        let _ = (current, order_status);
    }
}
