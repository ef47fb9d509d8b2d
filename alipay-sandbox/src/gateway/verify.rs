//! Public parameters and the merchant's signature, as the real gateway checks them.

use alipay::sign::{Params, request_signing_string, verify_request};

use super::error_page::PageError;
use super::params::get;
use crate::config::MerchantApp;
use crate::state::Inner;

/// How far a request's `timestamp` may be from the gateway's clock (real-time clock only).
/// Generous: SDKs on UTC servers send local time as if it were Beijing time, and Alipay takes it.
const TIMESTAMP_TOLERANCE_MINUTES: i64 = 24 * 60;

/// Checks the public parameters and the signature; returns the registered app.
pub fn verify_public(inner: &Inner, p: &Params) -> Result<MerchantApp, PageError> {
    let app_id = get(p, "app_id").ok_or_else(|| PageError::missing("app_id"))?;
    let app = inner.apps.get(app_id).cloned().ok_or_else(|| {
        PageError::new(
            "invalid-app-id",
            format!("应用 {app_id} 不存在，请检查 app_id 是否正确（沙箱只认识已注册的应用）"),
        )
    })?;
    let charset = get(p, "charset").ok_or_else(|| PageError::missing("charset"))?;
    if !charset.eq_ignore_ascii_case("utf-8") {
        return Err(PageError::invalid("charset", "沙箱只支持 utf-8"));
    }
    if let Some(f) = get(p, "format")
        && !f.eq_ignore_ascii_case("json")
    {
        return Err(PageError::invalid("format", "只支持 JSON"));
    }
    let version = get(p, "version").ok_or_else(|| PageError::missing("version"))?;
    if version != "1.0" {
        return Err(PageError::invalid("version", "只支持 1.0"));
    }
    let ts = get(p, "timestamp").ok_or_else(|| PageError::missing("timestamp"))?;
    let when = alipay::clock::parse_beijing(ts)
        .map_err(|_| PageError::invalid("timestamp", "格式应为 yyyy-MM-dd HH:mm:ss（北京时间）"))?;
    if inner.clock.speed() == 1
        && (when - inner.now()).num_minutes().abs() > TIMESTAMP_TOLERANCE_MINUTES
    {
        return Err(PageError::invalid("timestamp", "与网关时间相差过大"));
    }
    let sign_type = get(p, "sign_type")
        .ok_or_else(|| PageError::new("missing-signature-type", "缺少签名类型 sign_type"))?;
    if sign_type != "RSA2" && sign_type != "RSA" {
        return Err(PageError::new(
            "invalid-signature-type",
            format!("不支持的签名类型 {sign_type}，请使用 RSA2"),
        ));
    }
    if get(p, "sign").is_none() {
        return Err(PageError::new("missing-signature", "缺少签名参数 sign"));
    }
    if let Err(e) = verify_request(p, &app.app_public_key) {
        return Err(PageError::new(
            "invalid-signature",
            format!("验签出错（{e}），建议检查签名字符串或签名私钥与应用公钥是否匹配"),
        )
        .with_detail(request_signing_string(p)));
    }
    for k in ["notify_url", "return_url"] {
        if let Some(u) = get(p, k)
            && !(u.starts_with("http://") || u.starts_with("https://"))
        {
            return Err(PageError::invalid(k, "必须是 http:// 或 https:// 地址"));
        }
    }
    Ok(app)
}
