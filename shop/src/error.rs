use thiserror::Error;

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
    /// A bug or a broken environment; details are logged, not shown.
    #[error("服务器内部错误")]
    Internal(String),
}

impl ShopError {
    /// A 400-style error on one field.
    pub fn invalid(field: &'static str, message: impl Into<String>) -> ShopError {
        ShopError::Invalid {
            field,
            message: message.into(),
        }
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
