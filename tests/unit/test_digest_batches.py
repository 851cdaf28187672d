"""A round's due digests are read in batches of one local day and one stale-days setting."""

from datetime import date

from bot.runtime.scheduler import DIGEST_BATCH, digest_batches
from storage.due import DIGEST, DueDigest, Recipient
from storage.models import Role
from storage.outbox import OutboxKey


def _due(user_id: int, zone: str, stale_days: int = 14) -> DueDigest:
    recipient = Recipient(user_id, user_id, 1, Role.REP, "en", zone, False, False, stale_days)
    return DueDigest(recipient, OutboxKey(user_id, DIGEST, "", date(2026, 3, 2)))


def test_members_of_another_zone_or_stale_setting_are_read_in_another_batch():
    due = [
        _due(1, "Asia/Bangkok"),
        _due(2, "Asia/Ho_Chi_Minh"),
        _due(3, "Asia/Bangkok"),
        _due(4, "Asia/Bangkok", stale_days=7),
    ]
    batches = digest_batches(due)
    assert [[item.recipient.user_id for item in batch] for batch in batches] == [[1, 3], [2], [4]]


def test_a_big_round_is_read_in_batches_of_at_most_the_batch_size_in_order():
    due = [_due(number, "Asia/Bangkok") for number in range(DIGEST_BATCH * 2 + 1)]
    batches = digest_batches(due)
    assert [len(batch) for batch in batches] == [DIGEST_BATCH, DIGEST_BATCH, 1]
    assert [item for batch in batches for item in batch] == due
