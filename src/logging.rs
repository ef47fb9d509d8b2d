//! `tracing` set-up: one line per event, filtered by `RUST_LOG` (default `info`), as text or as
//! JSON objects (LOG_FORMAT). Each line carries the spans it happened in: the request's
//! `request_id`, the order's `out_trade_no`.
use tracing_subscriber::EnvFilter;
use tracing_subscriber::fmt::MakeWriter;

/// How log lines are written (LOG_FORMAT).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum LogFormat {
    /// Human-readable lines: `time LEVEL request{request_id=..}: message field=value`.
    #[default]
    Text,
    /// One JSON object per line (`timestamp`, `level`, the event's fields, `span`, `spans`), for
    /// log collectors.
    Json,
}

/// The filter of `RUST_LOG`, or the default: `info`, quieter for the database and HTTP crates.
pub fn default_filter() -> EnvFilter {
    EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,sea_orm=warn,hyper=warn"))
}

/// Installs the process's subscriber writing to standard output (a second call changes nothing).
pub fn init(format: LogFormat) {
    let _ = init_with(format, default_filter(), std::io::stdout);
}

/// Installs the process's subscriber writing `format` lines through `writer`; `Err` if one is
/// installed already.
pub fn init_with<W>(
    format: LogFormat,
    filter: EnvFilter,
    writer: W,
) -> Result<(), Box<dyn std::error::Error + Send + Sync>>
where
    W: for<'w> MakeWriter<'w> + Send + Sync + 'static,
{
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_target(false)
        .with_writer(writer);
    match format {
        LogFormat::Text => builder.try_init(),
        LogFormat::Json => builder
            .json()
            .flatten_event(true)
            .with_current_span(true)
            .with_span_list(true)
            .try_init(),
    }
}

#[cfg(test)]
mod tests {
    use clap::{CommandFactory, Parser};

    use super::LogFormat;
    use crate::cli::Cli;

    fn parse(args: &[&str]) -> Result<LogFormat, clap::Error> {
        let argv = ["coursepay"].iter().chain(args);
        Cli::try_parse_from(argv).map(|cli| cli.config.log_format)
    }

    #[test]
    fn log_format_is_text_unless_json_is_asked_for() {
        assert_eq!(parse(&[]).unwrap(), LogFormat::Text);
        assert_eq!(parse(&["--log-format", "json"]).unwrap(), LogFormat::Json);
        assert_eq!(parse(&["--log-format", "text"]).unwrap(), LogFormat::Text);
        for hostile in ["", "xml", "json ", "json\n", "JSON;rm", "日志"] {
            let err = parse(&["--log-format", hostile]).unwrap_err();
            assert_eq!(
                err.kind(),
                clap::error::ErrorKind::InvalidValue,
                "{hostile:?}"
            );
        }
        let help = Cli::command().render_long_help().to_string();
        assert!(help.contains("LOG_FORMAT"), "{help}");
    }
}
