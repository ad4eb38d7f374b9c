//! The requests in flight between the wasm and the JS `send`, kept by ticket.

#[allow(unused_imports)]
use crate::prelude::*;

/// The requests in flight, each under a ticket never given before (a count:
/// it wraps after 2^32 calls), so an answer can only reach the request it
/// was sent for, and only once. A list searched from the start: a page has
/// a handful of requests in flight at once.
pub struct Tickets<T> {
    last: u32,
    items: Vec<(u32, T)>,
}

impl<T> Default for Tickets<T> {
    fn default() -> Tickets<T> {
        Tickets::new()
    }
}

impl<T> Tickets<T> {
    /// Nothing in flight.
    pub const fn new() -> Tickets<T> {
        Tickets { last: 0, items: Vec::new() }
    }

    /// Keeps `item`; its ticket.
    pub fn put(&mut self, item: T) -> u32 {
        self.last = self.last.wrapping_add(1);
        self.items.push((self.last, item));
        self.last
    }

    /// What `ticket` was given for, once (`None` for a ticket answered before
    /// or never given).
    pub fn take(&mut self, ticket: u32) -> Option<T> {
        let i = self.items.iter().position(|(t, _)| *t == ticket)?;
        Some(self.items.swap_remove(i).1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_ticket_is_answered_once_and_never_given_twice() {
        let mut s = Tickets::new();
        let a = s.put("a");
        let b = s.put("b");
        assert_ne!(a, b);
        assert_eq!(s.take(a), Some("a"));
        assert_eq!(s.take(a), None, "answered once");
        let c = s.put("c");
        assert!(c != a && c != b, "a late answer to an old ticket finds nothing");
        assert_eq!(s.take(12_345), None);
        assert_eq!(s.take(c), Some("c"));
        assert_eq!(s.take(b), Some("b"));
        assert!(s.items.is_empty());
    }
}
