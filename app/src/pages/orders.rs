use leptos::prelude::*;
use leptos_router::components::A;

use crate::AppError;
use crate::api::{CancelOrder, my_orders};
use crate::components::{ErrorNotice, action_error};
use crate::dto::OrderDto;
use crate::pages::load;

/// `/orders`: the student's orders with status, amount and times.
#[component]
pub fn OrdersPage() -> impl IntoView {
    let orders = Resource::new(|| (), |_| my_orders());
    view! {
        <h1>"我的订单"</h1>
        <Suspense fallback=|| view! { <p class="loading">"加载中…"</p> }>
            {move || Suspend::new(async move {
                match orders.await {
                    Ok(list) if list.is_empty() => view! {
                        <p class="empty">"还没有订单，" <A href="/">"去选课"</A></p>
                    }.into_any(),
                    Ok(list) => view! { <OrderTable list/> }.into_any(),
                    Err(AppError::Unauthenticated) => view! {
                        <p class="notice notice-info">
                            "请先登录。" <a href="/login?next=/orders">"去登录"</a>
                        </p>
                    }.into_any(),
                    Err(e) => view! { <p class="notice notice-error">{e.to_string()}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn OrderTable(list: Vec<OrderDto>) -> impl IntoView {
    let cancel = ServerAction::<CancelOrder>::new();
    Effect::new(move |_| {
        if let Some(Ok(_)) = cancel.value().get() {
            load("/orders");
        }
    });
    view! {
        <ErrorNotice message=action_error(cancel)/>
        <table class="orders">
            <thead>
                <tr>
                    <th>"订单号"</th><th>"课程"</th><th>"金额"</th><th>"状态"</th>
                    <th>"下单时间"</th><th>"付款时间"</th><th></th>
                </tr>
            </thead>
            <tbody>
                {list.into_iter().map(|o| {
                    let id = o.course_ids.first().copied().unwrap_or_default();
                    let no = o.out_trade_no.clone();
                    let action = match o.status {
                        1 => Some(view! { <a class="btn btn-primary" href=format!("/course/{id}#learn")>"立即学习"</a> }.into_any()),
                        0 => Some(view! {
                            <ActionForm action=cancel attr:class="cancel-form">
                                <input type="hidden" name="out_trade_no" value=no/>
                                <button class="btn btn-ghost" type="submit">"取消订单"</button>
                            </ActionForm>
                        }.into_any()),
                        _ => None,
                    };
                    view! {
                        <tr data-out-trade-no=o.out_trade_no.clone()>
                            <td class="mono">{o.out_trade_no.clone()}</td>
                            <td>{o.subject.clone()}</td>
                            <td>"¥"{o.total.clone()}</td>
                            <td><span class=format!("status status-{}", o.status)>{o.status_label.clone()}</span></td>
                            <td>{o.created_at.clone()}</td>
                            <td>{o.pay_time.clone().unwrap_or_else(|| "—".to_owned())}</td>
                            <td>{action}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}
