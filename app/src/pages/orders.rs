use leptos::prelude::*;
use leptos_router::components::A;

use crate::AppError;
use crate::api::my_orders;
use crate::dto::OrderDto;

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
    view! {
        <table class="orders">
            <thead>
                <tr>
                    <th>"订单号"</th><th>"课程"</th><th>"金额"</th><th>"状态"</th>
                    <th>"下单时间"</th><th>"付款时间"</th><th></th>
                </tr>
            </thead>
            <tbody>
                {list.into_iter().map(|o| {
                    let learn = (o.status == 1).then(|| {
                        let id = o.course_ids.first().copied().unwrap_or_default();
                        view! { <a class="btn btn-primary" href=format!("/course/{id}#learn")>"立即学习"</a> }
                    });
                    view! {
                        <tr data-out-trade-no=o.out_trade_no.clone()>
                            <td class="mono">{o.out_trade_no.clone()}</td>
                            <td>{o.subject.clone()}</td>
                            <td>"¥"{o.total.clone()}</td>
                            <td><span class=format!("status status-{}", o.status)>{o.status_label.clone()}</span></td>
                            <td>{o.created_at.clone()}</td>
                            <td>{o.pay_time.clone().unwrap_or_else(|| "—".to_owned())}</td>
                            <td>{learn}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}
