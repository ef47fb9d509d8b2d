//! The seed client's JSON API (the Django/DRF contract), over the same `shop` functions the pages
//! use. Field errors answer 400 `{field: [message]}`.
use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Value, json};

use app::api::ServerContext;
use shop::ShopError;

use super::auth::User;

/// A shop error as the seed's client expects it.
pub(super) fn error(e: ShopError) -> Response {
    let retry_after = match &e {
        ShopError::Busy(secs) => Some(*secs),
        ShopError::TooManyAttempts(minutes) => Some(minutes.saturating_mul(60)),
        _ => None,
    };
    let status = match &e {
        ShopError::Busy(_) => StatusCode::SERVICE_UNAVAILABLE,
        ShopError::Unauthenticated | ShopError::BadCredentials => StatusCode::UNAUTHORIZED,
        ShopError::NotFound(_) => StatusCode::NOT_FOUND,
        ShopError::TooManyAttempts(_) => StatusCode::TOO_MANY_REQUESTS,
        ShopError::Db(_) | ShopError::Internal(_) | ShopError::Gateway(_) => {
            tracing::error!(error = %shop::error::chain(&e), "JSON API failed");
            StatusCode::INTERNAL_SERVER_ERROR
        }
        _ => StatusCode::BAD_REQUEST,
    };
    let field = e.field().unwrap_or("detail");
    let body = if field == "detail" {
        json!({ "detail": e.to_string() })
    } else {
        json!({ field: [e.to_string()] })
    };
    let mut resp = (status, Json(body)).into_response();
    if let Some(secs) = retry_after {
        resp.headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(secs));
    }
    resp
}

fn bad_json(rejection: JsonRejection) -> Response {
    let body = json!({ "non_field_errors": [format!("请求格式错误: {}", rejection.body_text())] });
    (StatusCode::BAD_REQUEST, Json(body)).into_response()
}

#[derive(Deserialize)]
pub struct Credentials {
    username: String,
    password: String,
}

pub async fn register(
    State(ctx): State<ServerContext>,
    body: Result<Json<Credentials>, JsonRejection>,
) -> Response {
    let Json(c) = match body {
        Ok(b) => b,
        Err(r) => return bad_json(r),
    };
    match shop::accounts::register(
        ctx.shop.db(),
        c.username.trim(),
        &c.password,
        ctx.shop.clock().now(),
    )
    .await
    {
        Ok(a) => (
            StatusCode::CREATED,
            Json(json!({ "id": a.id, "username": a.username })),
        )
            .into_response(),
        Err(e) => error(e),
    }
}

pub async fn login(
    State(ctx): State<ServerContext>,
    parts: axum::http::request::Parts,
    body: Result<Json<Credentials>, JsonRejection>,
) -> Response {
    let Json(c) = match body {
        Ok(b) => b,
        Err(r) => return bad_json(r),
    };
    let client = app::api::client_ip(&parts, &ctx.shop);
    let result = async {
        let a = shop::accounts::login_throttled(&ctx.shop, c.username.trim(), &c.password, client)
            .await?;
        let token = shop::accounts::session::issue(&ctx.shop, &a)?;
        Ok::<_, ShopError>((a, token))
    };
    match result.await {
        Ok((a, token)) => {
            let cookie = shop::accounts::session::cookie(&ctx.shop, &token);
            let mut resp = Json(json!({ "token": token, "username": a.username })).into_response();
            if let Ok(v) = HeaderValue::from_str(&cookie) {
                resp.headers_mut().append(header::SET_COOKIE, v);
            }
            resp
        }
        Err(e) => error(e),
    }
}

pub async fn course_list(State(ctx): State<ServerContext>) -> Response {
    match shop::catalog::list_courses(ctx.shop.db()).await {
        Ok(list) => {
            let list: Vec<app::dto::CourseCard> = list.into_iter().map(Into::into).collect();
            Json(list).into_response()
        }
        Err(e) => error(e),
    }
}

#[derive(Deserialize)]
pub struct PayRequest {
    #[serde(default)]
    total_amount: Value,
    #[serde(default)]
    goods_pks: Value,
}

/// A JSON scalar as text ("1,2", 3, "99.00", 99.0 are all accepted as written).
fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

pub async fn pay(
    State(ctx): State<ServerContext>,
    User(user): User,
    body: Result<Json<PayRequest>, JsonRejection>,
) -> Response {
    let Json(req) = match body {
        Ok(b) => b,
        Err(r) => return bad_json(r),
    };
    let (goods_pks, total_amount) = (text(&req.goods_pks), text(&req.total_amount));
    let order = shop::orders::NewOrder {
        user_id: user.uid,
        goods_pks: &goods_pks,
        total_amount: &total_amount,
    };
    match shop::orders::create_order(&ctx.shop, order).await {
        Ok(created) => Json(created.pay_url).into_response(),
        Err(e) => error(e),
    }
}

fn status_json(o: &shop::orders::OrderView) -> Value {
    json!({
        "out_trade_no": o.out_trade_no,
        "order_status": o.status.code(),
        "status_label": o.status.label(),
        "trade_no": o.trade_no,
        "pay_time": o.pay_time.map(shop::alipay_time),
        "total_amount": o.total.to_string(),
        "subject": o.subject,
        "created_at": shop::alipay_time(o.created_at),
    })
}

pub async fn success(
    State(ctx): State<ServerContext>,
    User(user): User,
    RawQuery(query): RawQuery,
) -> Response {
    match shop::payment::handle_return(&ctx.shop, user.uid, query.as_deref().unwrap_or("")).await {
        Ok(r) if r.order.status == shop::orders::OrderStatus::Paid => {
            Json(json!({ "status": 0, "msg": "支付成功", "order": status_json(&r.order) }))
                .into_response()
        }
        Ok(r) => Json(json!({ "status": 2, "msg": "支付确认中", "order": status_json(&r.order) }))
            .into_response(),
        Err(ShopError::Db(e)) => error(ShopError::Db(e)),
        Err(e) => Json(json!({ "status": 1, "msg": e.to_string() })).into_response(),
    }
}

pub async fn status(
    State(ctx): State<ServerContext>,
    User(user): User,
    Path(no): Path<String>,
) -> Response {
    match shop::orders::order_for_user(ctx.shop.db(), user.uid, &no).await {
        Ok(o) => Json(status_json(&o)).into_response(),
        Err(e) => error(e),
    }
}

pub async fn list(State(ctx): State<ServerContext>, User(user): User) -> Response {
    match shop::orders::list_orders(ctx.shop.db(), user.uid).await {
        Ok(list) => Json(list.iter().map(status_json).collect::<Vec<_>>()).into_response(),
        Err(e) => error(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_busy_server_answers_503_with_retry_after() {
        let r = error(ShopError::Busy(2));
        assert_eq!(r.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(r.headers()[header::RETRY_AFTER], "2");
        let r = error(ShopError::TooManyAttempts(3));
        assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(r.headers()[header::RETRY_AFTER], "180");
        let r = error(ShopError::BadCredentials);
        assert!(r.headers().get(header::RETRY_AFTER).is_none());
    }
}
