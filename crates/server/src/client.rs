//! Who is on the other end of a request, as far as limits go: the client's network. An IPv4
//! address stands for itself; an IPv6 client is its /64, since one machine is usually given a
//! whole /64 and could otherwise take a new address for every attempt.

use axum::extract::ConnectInfo;
use axum::http::request::Parts;
use std::net::{IpAddr, Ipv6Addr, SocketAddr};

/// The network an address belongs to, for counting what it does.
pub fn network(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V4(_) => ip,
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => {
                let [a, b, c, d, ..] = v6.segments();
                IpAddr::V6(Ipv6Addr::new(a, b, c, d, 0, 0, 0, 0))
            }
        },
    }
}

/// The network of the client that sent this request: the socket's peer or, behind our own
/// reverse proxy, the address the proxy appended to `X-Forwarded-For` (the last one: what
/// comes before it is whatever the client wrote). `None` when neither is known (a request
/// driven straight into the router, as some tests do).
pub fn of_request(parts: &Parts, behind_proxy: bool) -> Option<IpAddr> {
    if behind_proxy {
        let forwarded = parts
            .headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|value| value.to_str().ok())
            .flat_map(|value| value.split(','))
            .filter_map(|hop| hop.trim().parse::<IpAddr>().ok())
            .next_back();
        if let Some(ip) = forwarded {
            return Some(network(ip));
        }
    }
    parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(peer)| network(peer.ip()))
}

/// The requesting client's network, as a handler's argument.
pub struct ClientNetwork(pub Option<IpAddr>);

impl axum::extract::FromRequestParts<crate::AppState> for ClientNetwork {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &crate::AppState,
    ) -> Result<Self, Self::Rejection> {
        Ok(ClientNetwork(of_request(
            parts,
            state.config.limits.behind_proxy,
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::Request;

    #[test]
    fn an_ipv6_client_counts_as_its_64_and_a_mapped_ipv4_as_itself() {
        let a: IpAddr = "2001:db8:1:2:aaaa::1".parse().unwrap();
        let b: IpAddr = "2001:db8:1:2:bbbb::9".parse().unwrap();
        assert_eq!(network(a), network(b));
        assert_ne!(network(a), network("2001:db8:1:3::1".parse().unwrap()));
        let mapped: IpAddr = "::ffff:192.0.2.7".parse().unwrap();
        assert_eq!(network(mapped), "192.0.2.7".parse::<IpAddr>().unwrap());
    }

    #[test]
    fn forwarded_for_is_believed_only_behind_a_proxy_and_only_its_last_hop() {
        let (mut parts, ()) = Request::builder()
            .header("x-forwarded-for", "203.0.113.9, 198.51.100.4")
            .body(())
            .unwrap()
            .into_parts();
        let peer: SocketAddr = "127.0.0.1:5000".parse().unwrap();
        parts.extensions.insert(ConnectInfo(peer));
        assert_eq!(
            of_request(&parts, true),
            Some("198.51.100.4".parse().unwrap())
        );
        assert_eq!(of_request(&parts, false), Some(peer.ip()));
    }
}
