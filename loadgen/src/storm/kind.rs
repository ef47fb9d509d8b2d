//! The kinds of notify the storm sends, the one right answer to each, and the verdict the shop
//! must record for it.

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    /// Signed by the sandbox key, right amount, app and seller: sent `copies` times.
    Genuine,
    /// Signed, but the amount is not the order's.
    WrongAmount,
    /// Signed, but for another app.
    WrongAppId,
    /// Signed, but naming another seller.
    WrongSellerId,
    /// Signed, for an order the shop never made.
    UnknownOrder,
    /// Unsigned or tampered: no signature, a field changed after signing, a signature lifted from
    /// another order, or a signature by another key.
    Tampered,
}

impl Kind {
    pub const ALL: [Kind; 6] = [
        Kind::Genuine,
        Kind::WrongAmount,
        Kind::WrongAppId,
        Kind::WrongSellerId,
        Kind::UnknownOrder,
        Kind::Tampered,
    ];

    /// The wrong kinds aimed at existing orders, in the order they rotate.
    pub const WRONG: [Kind; 4] = [
        Kind::WrongAmount,
        Kind::WrongAppId,
        Kind::WrongSellerId,
        Kind::Tampered,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Kind::Genuine => "genuine",
            Kind::WrongAmount => "wrong amount",
            Kind::WrongAppId => "wrong app_id",
            Kind::WrongSellerId => "wrong seller_id",
            Kind::UnknownOrder => "unknown order",
            Kind::Tampered => "unsigned/tampered",
        }
    }

    /// The only right answer (Alipay retries anything but `success`).
    pub fn expected(self) -> &'static str {
        match self {
            Kind::Genuine => "success",
            _ => "failure",
        }
    }

    /// The verdict `payment_event` must hold for it (a genuine notify: `applied` the first time,
    /// `duplicate` afterwards).
    pub fn verdict(self) -> &'static str {
        match self {
            Kind::Genuine => "applied",
            Kind::WrongAmount => "amount_mismatch",
            Kind::WrongAppId => "app_id_mismatch",
            Kind::WrongSellerId => "seller_id_mismatch",
            Kind::UnknownOrder => "unknown_order",
            Kind::Tampered => "bad_signature",
        }
    }
}
