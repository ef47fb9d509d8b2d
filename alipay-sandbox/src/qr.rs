//! The cashier's QR code, as inline SVG.

use qrcode::QrCode;
use qrcode::render::svg;

/// An SVG QR code of `text`, or an empty string if it cannot be encoded (too long).
pub fn svg(text: &str) -> String {
    match QrCode::new(text.as_bytes()) {
        Ok(code) => code
            .render::<svg::Color<'_>>()
            .min_dimensions(180, 180)
            .quiet_zone(true)
            .build(),
        Err(e) => {
            tracing::warn!(error = %e, "cannot encode the QR code");
            String::new()
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn renders_svg() {
        let s = super::svg("http://127.0.0.1:3000/sandbox/cashier/2026");
        assert!(s.contains("<svg"));
    }
}
