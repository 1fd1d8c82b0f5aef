//! Which part of a long list is in the DOM: rows and headings have fixed heights (the CSS
//! holds them to these), so what is on screen follows from the scroll position alone.

/// A row's height in pixels; `.sb-row` in style/inbox.css is exactly this tall.
pub const ROW_PX: i32 = 84;
/// A channel heading's height; `.sb-list__group` is exactly this tall.
pub const HEADING_PX: i32 = 36;
/// Rendered beyond each edge of the screen, so a quick scroll does not show blank space. The
/// window follows a scroll in the same frame, and the screen it is sized to is the browser's
/// window (taller than the list): two rows each side are enough. Each row more is work for
/// every change that redraws the window (a burst, a tab switch, the first page).
const OVERSCAN_PX: i32 = 2 * ROW_PX;

/// A group of the list as the window sees it: whether it has a heading, how many rows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GroupSize {
    pub heading: bool,
    pub rows: usize,
}

/// What of one group is rendered: its heading or not, rows `first..end`, from `top`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Slice {
    pub group: usize,
    pub top: i32,
    pub heading: bool,
    pub first: usize,
    pub end: usize,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Window {
    /// The whole list's height.
    pub height: i32,
    pub slices: Vec<Slice>,
}

fn heading_px(group: GroupSize) -> i32 {
    if group.heading { HEADING_PX } else { 0 }
}

/// The slices to render with the list scrolled to `top` in a viewport `viewport` tall. A
/// group with nothing in it is rendered too where it is, for its heading and its empty list.
pub fn window(groups: &[GroupSize], top: i32, viewport: i32) -> Window {
    let (from, to) = (top - OVERSCAN_PX, top + viewport + OVERSCAN_PX);
    let mut y = 0;
    let mut slices = Vec::new();
    for (index, group) in groups.iter().enumerate() {
        let rows_y = y + heading_px(*group);
        let end_y = rows_y + group.rows as i32 * ROW_PX;
        let overlaps = end_y > from && y < to;
        if overlaps || (end_y == y && (from..=to).contains(&y)) {
            let end = (((to - rows_y).max(0) + ROW_PX - 1) / ROW_PX) as usize;
            let end = end.min(group.rows);
            let first = (((from - rows_y).max(0) / ROW_PX) as usize).min(end);
            let heading = group.heading && rows_y > from;
            slices.push(Slice {
                group: index,
                top: if heading {
                    y
                } else {
                    rows_y + first as i32 * ROW_PX
                },
                heading,
                first,
                end,
            });
        }
        y = end_y;
    }
    Window { height: y, slices }
}

/// Where row `index` of group `group` starts, and the heading above it when it is the first.
pub fn row_top(groups: &[GroupSize], group: usize, index: usize) -> (i32, i32) {
    let above: i32 = groups
        .iter()
        .take(group)
        .map(|g| heading_px(*g) + g.rows as i32 * ROW_PX)
        .sum();
    let heading = groups.get(group).map_or(0, |g| heading_px(*g));
    let top = above + heading + index as i32 * ROW_PX;
    (top, if index == 0 { heading } else { 0 })
}

/// The row `step` rows away from `from` (group, index) across groups, if there is one.
pub fn step(groups: &[GroupSize], from: (usize, usize), step: i64) -> Option<(usize, usize)> {
    let flat = groups.iter().take(from.0).map(|g| g.rows).sum::<usize>() + from.1;
    let mut target = usize::try_from(flat as i64 + step).ok()?;
    for (index, group) in groups.iter().enumerate() {
        if target < group.rows {
            return Some((index, target));
        }
        target -= group.rows;
    }
    None
}

/// The first row that starts at or below `top`.
pub fn first_at(groups: &[GroupSize], top: i32) -> Option<(usize, usize)> {
    let mut y = 0;
    for (index, group) in groups.iter().enumerate() {
        let rows_y = y + heading_px(*group);
        let end_y = rows_y + group.rows as i32 * ROW_PX;
        if end_y > top && group.rows > 0 {
            let row = ((top - rows_y).max(0) + ROW_PX - 1) / ROW_PX;
            return Some((index, (row as usize).min(group.rows - 1)));
        }
        y = end_y;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    const ONE: [GroupSize; 1] = [GroupSize {
        heading: false,
        rows: 10_000,
    }];

    #[test]
    fn a_list_of_ten_thousand_renders_only_what_is_on_screen() {
        for top in [0, 5_000 * ROW_PX + 17, 9_990 * ROW_PX] {
            let w = window(&ONE, top, 1_000);
            assert_eq!(w.height, 10_000 * ROW_PX);
            let [slice] = w.slices[..] else {
                panic!("one slice: {w:?}")
            };
            let rendered = slice.end - slice.first;
            assert!(rendered <= 30, "{rendered} rows at {top}");
            // What is on screen is inside what is rendered.
            assert!(
                slice.top <= top
                    && slice.top + rendered as i32 * ROW_PX >= (top + 1_000).min(w.height)
            );
        }
    }

    #[test]
    fn headings_are_items_of_the_window() {
        let groups = [
            GroupSize {
                heading: true,
                rows: 3,
            },
            GroupSize {
                heading: true,
                rows: 500,
            },
        ];
        let w = window(&groups, 0, 600);
        assert_eq!(w.height, 2 * HEADING_PX + 503 * ROW_PX);
        assert_eq!(
            w.slices[0],
            Slice {
                group: 0,
                top: 0,
                heading: true,
                first: 0,
                end: 3
            }
        );
        assert!(w.slices[1].heading && w.slices[1].top == HEADING_PX + 3 * ROW_PX);
        // Far down the second group: its heading is gone, and the first group too.
        let w = window(&groups, 300 * ROW_PX, 600);
        assert_eq!(w.slices.len(), 1);
        assert!(!w.slices[0].heading && w.slices[0].first > 200);
        assert_eq!(
            row_top(&groups, 1, 0),
            (2 * HEADING_PX + 3 * ROW_PX, HEADING_PX)
        );
    }

    #[test]
    fn an_empty_list_still_renders_its_group() {
        let w = window(
            &[GroupSize {
                heading: false,
                rows: 0,
            }],
            0,
            800,
        );
        assert_eq!(w.slices.len(), 1);
        assert_eq!((w.slices[0].first, w.slices[0].end), (0, 0));
    }

    #[test]
    fn arrows_cross_from_one_group_to_the_next() {
        let groups = [
            GroupSize {
                heading: true,
                rows: 2,
            },
            GroupSize {
                heading: true,
                rows: 2,
            },
        ];
        assert_eq!(step(&groups, (0, 1), 1), Some((1, 0)));
        assert_eq!(step(&groups, (1, 0), -1), Some((0, 1)));
        assert_eq!(step(&groups, (0, 0), -1), None);
        assert_eq!(step(&groups, (1, 1), 1), None);
        assert_eq!(first_at(&groups, 0), Some((0, 0)));
        assert_eq!(first_at(&groups, HEADING_PX + 1), Some((0, 1)));
    }
}
