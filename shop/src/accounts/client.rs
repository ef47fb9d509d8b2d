//! The client's address for the login throttle: the TCP peer, or, when the peer is a configured
//! trusted proxy, the right-most `X-Forwarded-For` entry that is not itself a trusted proxy.
//! A forwarded header from any other peer is ignored (anyone can write one).
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::str::FromStr;

/// At most this many `X-Forwarded-For` entries are looked at, from the right.
const MAX_HOPS: usize = 32;

/// One network: an address and a prefix length.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Net {
    addr: IpAddr,
    prefix: u8,
}

impl Net {
    fn contains(&self, ip: IpAddr) -> bool {
        match (self.addr, ip) {
            (IpAddr::V4(n), IpAddr::V4(a)) => {
                let mask = u32::MAX
                    .checked_shl(32 - u32::from(self.prefix))
                    .unwrap_or(0);
                u32::from(n) & mask == u32::from(a) & mask
            }
            (IpAddr::V6(n), IpAddr::V6(a)) => {
                let mask = u128::MAX
                    .checked_shl(128 - u32::from(self.prefix))
                    .unwrap_or(0);
                u128::from(n) & mask == u128::from(a) & mask
            }
            _ => false,
        }
    }
}

/// The proxies whose `X-Forwarded-For` is believed (setting `TRUSTED_PROXIES`): IPs or CIDRs,
/// comma-separated. Empty (the default): no proxy is trusted.
///
/// ```
/// let t: shop::accounts::client::TrustedProxies = "10.0.0.0/8, 127.0.0.1, ::1".parse().unwrap();
/// assert!(t.contains("10.1.2.3".parse().unwrap()));
/// assert!(!t.contains("192.168.0.1".parse().unwrap()));
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TrustedProxies(Vec<Net>);

/// A `TRUSTED_PROXIES` entry that is neither an IP nor a CIDR.
#[derive(Debug, thiserror::Error)]
#[error("'{0}' is not an IP address or CIDR (e.g. 10.0.0.1, 10.0.0.0/8, ::1, fd00::/8)")]
pub struct BadProxy(String);

impl FromStr for TrustedProxies {
    type Err = BadProxy;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let mut nets = Vec::new();
        for entry in s.split(',').map(str::trim).filter(|e| !e.is_empty()) {
            let bad = || BadProxy(entry.chars().take(64).collect());
            let (ip, prefix) = match entry.split_once('/') {
                Some((ip, p)) => (ip, Some(p)),
                None => (entry, None),
            };
            let addr = canonical(ip.parse::<IpAddr>().map_err(|_| bad())?);
            let max = if addr.is_ipv4() { 32 } else { 128 };
            let prefix = match prefix {
                Some(p) if !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()) => {
                    p.parse::<u8>().ok().filter(|p| *p <= max).ok_or_else(bad)?
                }
                Some(_) => return Err(bad()),
                None => max,
            };
            nets.push(Net { addr, prefix });
        }
        Ok(TrustedProxies(nets))
    }
}

impl TrustedProxies {
    /// Whether `ip` is one of the trusted proxies.
    pub fn contains(&self, ip: IpAddr) -> bool {
        let ip = canonical(ip);
        self.0.iter().any(|n| n.contains(ip))
    }

    /// Whether no proxy is trusted.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// An IPv4-mapped IPv6 address as the IPv4 address it is.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    }
}

/// One `X-Forwarded-For` entry: `1.2.3.4`, `1.2.3.4:567`, `::1`, `[::1]`, `[::1]:567`, with spaces
/// around. Anything else (`unknown`, obfuscated names, garbage) is `None`.
fn parse_entry(entry: &str) -> Option<IpAddr> {
    let e = entry.trim();
    if let Ok(ip) = e.parse::<IpAddr>() {
        return Some(canonical(ip));
    }
    if let Some(rest) = e.strip_prefix('[') {
        let (ip, after) = rest.split_once(']')?;
        let port_ok = after.is_empty()
            || after
                .strip_prefix(':')
                .is_some_and(|p| p.parse::<u16>().is_ok());
        return port_ok
            .then(|| ip.parse::<Ipv6Addr>().ok())
            .flatten()
            .map(|ip| canonical(IpAddr::V6(ip)));
    }
    let (ip, port) = e.split_once(':')?;
    port.parse::<u16>().ok()?;
    ip.parse::<Ipv4Addr>().ok().map(IpAddr::V4)
}

/// The client of a request: `peer` is the TCP peer, `forwarded_for` every `X-Forwarded-For`
/// header value in the order received. Without a peer there is no address (`None`).
///
/// When the peer is trusted, entries are read from the right: each trusted one is skipped, the
/// first untrusted one is the client. An unreadable entry ends the walk at the last trusted hop
/// (that hop's proxy would never write garbage, so whoever did is behind it).
///
/// ```
/// use shop::accounts::client::{client_ip, TrustedProxies};
/// let none = TrustedProxies::default();
/// let peer = "10.0.0.2".parse().ok();
/// assert_eq!(client_ip(peer, ["6.6.6.6"], &none), peer);
/// let proxy: TrustedProxies = "10.0.0.0/8".parse().unwrap();
/// assert_eq!(client_ip(peer, ["6.6.6.6, 1.2.3.4"], &proxy), "1.2.3.4".parse().ok());
/// ```
pub fn client_ip<'a>(
    peer: Option<IpAddr>,
    forwarded_for: impl IntoIterator<Item = &'a str>,
    trusted: &TrustedProxies,
) -> Option<IpAddr> {
    let peer = canonical(peer?);
    if !trusted.contains(peer) {
        return Some(peer);
    }
    let entries: Vec<&str> = forwarded_for
        .into_iter()
        .flat_map(|v| v.split(','))
        .collect();
    let mut last_trusted = peer;
    for entry in entries.iter().rev().take(MAX_HOPS) {
        match parse_entry(entry) {
            Some(ip) if trusted.contains(ip) => last_trusted = ip,
            Some(ip) => return Some(ip),
            None => return Some(last_trusted),
        }
    }
    Some(last_trusted)
}

/// The throttle's name for a client: an IPv4 address as it is, an IPv6 address by its /64 (one
/// subscriber usually holds a whole /64), `-` when unknown.
pub fn address_key(ip: Option<IpAddr>) -> String {
    match ip.map(canonical) {
        Some(IpAddr::V4(v4)) => v4.to_string(),
        Some(IpAddr::V6(v6)) => {
            let s = v6.segments();
            format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
        }
        None => "-".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> Option<IpAddr> {
        Some(s.parse().unwrap())
    }

    #[test]
    fn proxies_parse_ips_and_cidrs_and_refuse_garbage() {
        let t: TrustedProxies = " 10.0.0.0/8 ,127.0.0.1,, ::1 , fd00::/8,192.168.1.7/32 "
            .parse()
            .unwrap();
        for yes in [
            "10.255.0.1",
            "127.0.0.1",
            "::1",
            "fd12::1",
            "192.168.1.7",
            "::ffff:10.1.1.1",
        ] {
            assert!(t.contains(yes.parse().unwrap()), "{yes}");
        }
        for no in ["11.0.0.1", "127.0.0.2", "::2", "fe80::1", "192.168.1.8"] {
            assert!(!t.contains(no.parse().unwrap()), "{no}");
        }
        assert!("".parse::<TrustedProxies>().unwrap().is_empty());
        assert!(
            "0.0.0.0/0"
                .parse::<TrustedProxies>()
                .unwrap()
                .contains("8.8.8.8".parse().unwrap())
        );
        for bad in [
            "10.0.0.0/33",
            "::/129",
            "10.0.0.0/",
            "10.0.0.0/+8",
            "10.0.0.0/8/8",
            "localhost",
            "10.0.0.1:80",
            "1.2.3.4\0",
            "１.２.３.４",
            "10.0.0.0/-1",
        ] {
            assert!(bad.parse::<TrustedProxies>().is_err(), "{bad:?}");
        }
    }

    #[test]
    fn forwarded_for_is_ignored_from_an_untrusted_peer() {
        let none = TrustedProxies::default();
        let other: TrustedProxies = "10.0.0.1".parse().unwrap();
        for t in [&none, &other] {
            assert_eq!(
                client_ip(ip("203.0.113.9"), ["1.2.3.4"], t),
                ip("203.0.113.9")
            );
        }
        assert_eq!(client_ip(None, ["1.2.3.4"], &other), None);
    }

    #[test]
    fn the_rightmost_untrusted_entry_is_the_client() {
        let t: TrustedProxies = "10.0.0.0/8, fd00::/8".parse().unwrap();
        let peer = ip("10.0.0.1");
        // The client may write anything on the left; only what our proxies appended counts.
        assert_eq!(
            client_ip(peer, ["6.6.6.6, 1.2.3.4, 10.0.0.5"], &t),
            ip("1.2.3.4")
        );
        // Several headers are one list, in order.
        assert_eq!(client_ip(peer, ["6.6.6.6", "1.2.3.4"], &t), ip("1.2.3.4"));
        // Spaces, ports, IPv6 in every shape, mapped IPv4.
        assert_eq!(client_ip(peer, ["  1.2.3.4:5678 "], &t), ip("1.2.3.4"));
        assert_eq!(
            client_ip(peer, ["[2001:db8::1]:443"], &t),
            ip("2001:db8::1")
        );
        assert_eq!(client_ip(peer, ["2001:db8::1"], &t), ip("2001:db8::1"));
        assert_eq!(client_ip(peer, ["[2001:db8::1]"], &t), ip("2001:db8::1"));
        assert_eq!(client_ip(peer, ["::ffff:1.2.3.4"], &t), ip("1.2.3.4"));
        // Garbage, empty, or only proxies: the last trusted hop stands for the client.
        assert_eq!(client_ip(peer, ["1.2.3.4, garbage"], &t), peer);
        assert_eq!(
            client_ip(peer, ["1.2.3.4, unknown, 10.0.0.7"], &t),
            ip("10.0.0.7")
        );
        assert_eq!(client_ip(peer, [""], &t), peer);
        assert_eq!(client_ip(peer, [], &t), peer);
        assert_eq!(client_ip(peer, ["10.0.0.9, fd00::2"], &t), ip("10.0.0.9"));
        for hostile in [
            "1.2.3.4\0",
            "1.2.3.4\t5",
            "1.2.3.4:99999",
            "[::1",
            "[::1]x",
            "%31.2.3.4",
            "１.２.３.４",
            "1.2.3.4:",
        ] {
            assert_eq!(client_ip(peer, [hostile], &t), peer, "{hostile:?}");
        }
        // A huge list: only the last hops are read, and the answer is still an untrusted one.
        let many = format!("{}1.2.3.4", "9.9.9.9, ".repeat(10_000));
        assert_eq!(client_ip(peer, [many.as_str()], &t), ip("1.2.3.4"));
        let proxies = format!("1.2.3.4, {}", "10.0.0.3, ".repeat(100));
        assert_eq!(
            client_ip(peer, [proxies.trim_end_matches(", ")], &t),
            ip("10.0.0.3")
        );
    }

    #[test]
    fn address_keys_group_ipv6_by_64() {
        assert_eq!(address_key(ip("1.2.3.4")), "1.2.3.4");
        assert_eq!(address_key(ip("::ffff:1.2.3.4")), "1.2.3.4");
        assert_eq!(
            address_key(ip("2001:db8:1:2:3:4:5:6")),
            address_key(ip("2001:db8:1:2::9"))
        );
        assert_ne!(
            address_key(ip("2001:db8:1:2::1")),
            address_key(ip("2001:db8:1:3::1"))
        );
        assert_eq!(address_key(None), "-");
    }
}
