//! Which lines of a long thread are in the DOM. Lines have any height (a word, a photo, a
//! page of text), so the window is counted in lines, not pixels: at most [`SIZE`] of them,
//! moved by [`STEP`] as the agent scrolls near either edge of what is shown. A 1,000-message
//! thread then costs the browser what 120 lines cost, however far the agent reads back.
//!
//! The window is anchored to a line rather than to an index, so that lines coming in
//! (earlier pages above, new messages below, a day heading) do not move what is shown.

use super::thread_view::{LineKey, ThreadLine};
use std::ops::Range;
use std::sync::Arc;

/// The most lines in the DOM at once: a few screens of a tall monitor.
pub const SIZE: usize = 120;
/// Lines added at one edge (and dropped at the other) in one move: small enough that one
/// move is one short task, large enough that a steady scroll moves rarely.
pub const STEP: usize = 30;

/// Where the window stands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ThreadWindow {
    /// The newest lines, following each new one: where a thread opens.
    Tail,
    /// From this line down, wherever new lines arrive.
    From(LineKey),
}

impl ThreadWindow {
    /// The lines shown, as indices into `lines`. A line no longer there (a message unsent)
    /// brings the window back to the newest lines.
    pub fn range(&self, lines: &[Arc<ThreadLine>]) -> Range<usize> {
        let last_start = lines.len().saturating_sub(SIZE);
        let start = match self {
            ThreadWindow::Tail => last_start,
            ThreadWindow::From(key) => lines
                .iter()
                .position(|line| line.key() == *key)
                .map_or(last_start, |at| at.min(last_start)),
        };
        start..(start + SIZE).min(lines.len())
    }

    /// `STEP` lines earlier, or `None` when the first line loaded is shown already (what is
    /// earlier has to come from the server).
    pub fn earlier(&self, lines: &[Arc<ThreadLine>]) -> Option<ThreadWindow> {
        let range = self.range(lines);
        (range.start > 0).then(|| ThreadWindow::From(lines[range.start.saturating_sub(STEP)].key()))
    }

    /// `STEP` lines later, or `None` when the newest line is shown already. Reaching the end
    /// follows new lines again.
    pub fn later(&self, lines: &[Arc<ThreadLine>]) -> Option<ThreadWindow> {
        let range = self.range(lines);
        (range.end < lines.len()).then(|| {
            let start = range.start + STEP;
            if start + SIZE >= lines.len() {
                ThreadWindow::Tail
            } else {
                ThreadWindow::From(lines[start].key())
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn thread(len: usize) -> Vec<Arc<ThreadLine>> {
        (0..len)
            .map(|n| {
                Arc::new(ThreadLine::Event {
                    id: n as i64,
                    text: format!("line {n}"),
                    at: chrono::DateTime::UNIX_EPOCH,
                })
            })
            .collect()
    }

    /// `lines` with `count` earlier ones loaded above them (ids below theirs).
    fn with_earlier(lines: &[Arc<ThreadLine>], count: usize) -> Vec<Arc<ThreadLine>> {
        let mut earlier: Vec<_> = (0..count)
            .map(|n| {
                Arc::new(ThreadLine::Event {
                    id: -1 - n as i64,
                    text: String::new(),
                    at: chrono::DateTime::UNIX_EPOCH,
                })
            })
            .rev()
            .collect();
        earlier.extend(lines.iter().cloned());
        earlier
    }

    #[test]
    fn a_short_thread_is_shown_whole_and_a_long_one_by_its_newest_lines() {
        assert_eq!(ThreadWindow::Tail.range(&thread(40)), 0..40);
        assert_eq!(
            ThreadWindow::Tail.range(&thread(1_000)),
            1_000 - SIZE..1_000
        );
        assert_eq!(ThreadWindow::Tail.earlier(&thread(40)), None);
        assert_eq!(ThreadWindow::Tail.later(&thread(1_000)), None);
    }

    #[test]
    fn reading_back_moves_the_window_a_step_at_a_time_to_the_first_line_and_down_again() {
        let lines = thread(1_000);
        let mut window = ThreadWindow::Tail;
        let mut moves = 0;
        while let Some(earlier) = window.earlier(&lines) {
            let (was, now) = (window.range(&lines), earlier.range(&lines));
            assert_eq!(was.start - now.start, STEP.min(was.start));
            assert!(now.len() <= SIZE);
            window = earlier;
            moves += 1;
        }
        assert_eq!(window.range(&lines), 0..SIZE);
        assert_eq!(moves, (1_000 - SIZE).div_ceil(STEP));
        while let Some(later) = window.later(&lines) {
            assert!(later.range(&lines).start > window.range(&lines).start);
            window = later;
        }
        assert_eq!(window, ThreadWindow::Tail);
    }

    #[test]
    fn lines_coming_in_at_either_end_do_not_move_a_window_read_back_to() {
        let lines = thread(500);
        let window = ThreadWindow::Tail.earlier(&lines).unwrap();
        let shown = |lines: &[Arc<ThreadLine>]| {
            window
                .range(lines)
                .map(|at| lines[at].key())
                .collect::<Vec<_>>()
        };
        let before = shown(&lines);
        assert_eq!(shown(&with_earlier(&lines, 50)), before);
        let mut newer = lines.clone();
        newer.extend(thread(510).into_iter().skip(500));
        assert_eq!(shown(&newer), before);
    }

    #[test]
    fn at_the_first_line_loaded_earlier_pages_are_reached_step_by_step() {
        let lines = thread(SIZE + 10);
        let top = ThreadWindow::Tail.earlier(&lines).unwrap();
        assert_eq!(top.range(&lines).start, 0);
        assert_eq!(
            top.earlier(&lines),
            None,
            "the server has to send what is earlier"
        );
        let loaded = with_earlier(&lines, 50);
        let earlier = top.earlier(&loaded).unwrap();
        assert_eq!(earlier.range(&loaded).start, 50 - STEP);
    }

    #[test]
    fn a_window_whose_line_is_gone_shows_the_newest_lines() {
        let lines = thread(500);
        let gone = ThreadWindow::From(LineKey::Item(9_999));
        assert_eq!(gone.range(&lines), ThreadWindow::Tail.range(&lines));
    }
}
