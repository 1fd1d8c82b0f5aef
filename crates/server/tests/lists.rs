//! Every view's list is read through an index: how SQLite plans each one.
#![allow(clippy::unwrap_used)] // tests stop at the first unexpected error

mod common;

use common::TestServer;
use switchboard_protocol::View;
use switchboard_server::store::conversations;

#[tokio::test]
async fn each_view_reads_an_index_and_mine_reads_the_assignees() {
    let server = TestServer::start().await;
    let mut conn = server.running.state.db.pool().acquire().await.unwrap();
    for view in View::ALL {
        let plan = conversations::list_plan(&mut conn, &view.filter())
            .await
            .unwrap();
        let conversations_step = plan
            .iter()
            .find(|step| step.contains(" c "))
            .unwrap_or_else(|| panic!("{view}: {plan:?}"));
        assert!(
            conversations_step.starts_with("SEARCH c USING INDEX")
                && !conversations_step.contains("TEMP B-TREE"),
            "{view} walks the conversations without an index: {plan:?}"
        );
        assert!(
            !plan
                .iter()
                .any(|step| step.contains("USE TEMP B-TREE FOR ORDER BY")),
            "{view} sorts instead of reading in order: {plan:?}"
        );
        if matches!(view, View::Mine | View::Snoozed | View::Unassigned) {
            assert!(
                conversations_step
                    .contains("conversations_by_assignee (assignee_id=? AND status=?"),
                "{view} should seek its assignee: {plan:?}"
            );
        }
    }
}
