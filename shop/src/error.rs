use std::borrow::Cow;
use std::fmt;

use thiserror::Error;

/// Any error, boxed: the cause an [`InternalError`] keeps.
pub type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// Everything that can go wrong in the shop. Messages are in Chinese: users read them.
#[derive(Debug, Error)]
pub enum ShopError {
    /// The database failed (connection, constraint, timeout).
    #[error("数据库错误，请稍后再试")]
    Db(#[from] sea_orm::DbErr),
    /// The thing asked for does not exist (or is not the caller's).
    #[error("{0}不存在")]
    NotFound(&'static str),
    /// A field of the request is unacceptable.
    #[error("{message}")]
    Invalid {
        field: &'static str,
        message: String,
    },
    /// The total the client sent is not what the courses cost.
    #[error("价格被恶意篡改")]
    PriceTampered,
    /// The student already owns this course.
    #[error("您已购买过「{0}」，无需重复购买")]
    AlreadyBought(String),
    #[error("用户名已被注册")]
    UsernameTaken,
    #[error("用户名或密码错误")]
    BadCredentials,
    #[error("请先登录")]
    Unauthenticated,
    /// Too many failed logins for this username; try again after this many minutes.
    #[error("登录失败次数过多，请 {0} 分钟后再试")]
    TooManyAttempts(u64),
    /// Too many logins are waiting for a password check; retry after this many seconds (HTTP
    /// 503 with `Retry-After`).
    #[error("服务器繁忙，请稍后再试")]
    Busy(u64),
    /// The order cannot make this move (e.g. cancelling a paid order).
    #[error("{0}")]
    State(String),
    /// The payment gateway could not be asked.
    #[error("支付宝暂时无法访问，请稍后再试")]
    Gateway(#[from] alipay::ApiError),
    /// A bug or a broken environment; details (with their causes) are logged, not shown.
    #[error("服务器内部错误")]
    Internal(#[source] InternalError),
}

/// What failed inside the server: what was being done, and the error that stopped it, if any.
#[derive(Debug, Error)]
#[error("{what}")]
pub struct InternalError {
    what: Cow<'static, str>,
    #[source]
    source: Option<BoxError>,
}

impl ShopError {
    /// A 400-style error on one field.
    pub fn invalid(field: &'static str, message: impl Into<String>) -> ShopError {
        ShopError::Invalid {
            field,
            message: message.into(),
        }
    }

    /// An internal error caused by `source` while doing `what`; the cause is kept for the log.
    ///
    /// ```
    /// use shop::ShopError;
    /// let io = std::io::Error::other("disk full");
    /// let e = ShopError::internal("writing the key file", io);
    /// assert_eq!(e.to_string(), "服务器内部错误");
    /// assert_eq!(
    ///     shop::error::chain(&e).to_string(),
    ///     "服务器内部错误: writing the key file: disk full"
    /// );
    /// ```
    pub fn internal(what: impl Into<Cow<'static, str>>, source: impl Into<BoxError>) -> ShopError {
        ShopError::Internal(InternalError {
            what: what.into(),
            source: Some(source.into()),
        })
    }

    /// An internal error with no underlying cause: a broken invariant.
    ///
    /// ```
    /// let e = shop::ShopError::bug("order 7 has status 9");
    /// assert_eq!(shop::error::chain(&e).to_string(), "服务器内部错误: order 7 has status 9");
    /// ```
    pub fn bug(what: impl Into<Cow<'static, str>>) -> ShopError {
        ShopError::Internal(InternalError {
            what: what.into(),
            source: None,
        })
    }

    /// The request field this error is about, for `{field: [message]}` answers.
    pub fn field(&self) -> Option<&'static str> {
        match self {
            ShopError::Invalid { field, .. } => Some(field),
            ShopError::PriceTampered => Some("total_amount"),
            ShopError::AlreadyBought(_) => Some("goods_pks"),
            ShopError::UsernameTaken => Some("username"),
            _ => None,
        }
    }
}

/// An error and its causes on one line, `outer: cause: root cause`, for the log (the user reads
/// only the outer text). A cause whose text the error before it already ends with is not
/// repeated.
///
/// ```
/// let e = shop::ShopError::Db(sea_orm::DbErr::Custom("connection reset".into()));
/// let line = shop::error::chain(&e).to_string();
/// assert_eq!(line, "数据库错误，请稍后再试: Custom Error: connection reset");
/// ```
pub fn chain<'a>(err: &'a (dyn std::error::Error + 'static)) -> Chain<'a> {
    Chain(err)
}

/// See [`chain`].
pub struct Chain<'a>(&'a (dyn std::error::Error + 'static));

impl fmt::Display for Chain<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut shown = self.0.to_string();
        f.write_str(&shown)?;
        let mut next = self.0.source();
        while let Some(cause) = next {
            let text = cause.to_string();
            if !shown.ends_with(&text) {
                write!(f, ": {text}")?;
            }
            shown = text;
            next = cause.source();
        }
        Ok(())
    }
}

impl fmt::Debug for Chain<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An error that, like many, prints its cause inside its own text and also returns it.
    #[derive(Debug, Error)]
    #[error("opening the key: {0}")]
    struct Wraps(#[source] std::io::Error);

    #[test]
    fn the_chain_names_every_cause_once() {
        let io = std::io::Error::other("permission denied");
        let e = ShopError::internal("loading keys", Wraps(io));
        assert_eq!(e.to_string(), "服务器内部错误");
        assert_eq!(
            chain(&e).to_string(),
            "服务器内部错误: loading keys: opening the key: permission denied"
        );
        let bug = ShopError::bug("order 3 has status 42");
        assert!(std::error::Error::source(&bug).is_some());
        assert_eq!(
            chain(&bug).to_string(),
            "服务器内部错误: order 3 has status 42"
        );
        // A user-facing error has no cause: its chain is its text.
        let plain = ShopError::PriceTampered;
        assert_eq!(chain(&plain).to_string(), "价格被恶意篡改");
    }
}
