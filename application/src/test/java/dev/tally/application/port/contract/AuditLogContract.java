package dev.tally.application.port.contract;

import static dev.tally.application.port.contract.Fixtures.concurrently;
import static dev.tally.application.port.contract.Fixtures.newId;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.application.ManualClock;
import dev.tally.application.port.AuditEntry;
import dev.tally.application.audit.AuditPage;
import dev.tally.application.audit.AuditService;
import dev.tally.application.audit.ListAudit;
import dev.tally.application.port.AuditLog;
import dev.tally.application.port.TallyStorage;
import java.lang.reflect.Method;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The audit log (R93): appended, each entry kept exactly as written, read newest first by target or action. */
public abstract class AuditLogContract {

    private static final Instant AT = Instant.parse("2026-10-15T12:00:00.123456789Z");

    protected abstract TallyStorage storage();

    private AuditService audit() {
        return new AuditService(storage().audit(), storage().transactions(), new ManualClock(AT));
    }

    @Test
    void R93_an_entry_is_kept_exactly_as_written_and_read_newest_first() {
        String target = newId("user:");
        AuditEntry plan = audit().record("key_1", "user.plan_change", target, "req_1", "plan free -> pro");
        AuditEntry grant = audit().record("key_2", "credit.grant", target, "req_2", "amount 50");

        AuditPage page = audit().list(new ListAudit(Optional.of(target), Optional.empty(), OptionalLong.empty(), 10));

        assertThat(grant.id()).isGreaterThan(plan.id());
        assertThat(page.entries()).containsExactly(grant, plan);
        assertThat(page.entries().get(1)).isEqualTo(new AuditEntry(plan.id(), AT, "key_1", "user.plan_change", target,
                "req_1", "plan free -> pro"));
        assertThat(page.before()).isEmpty();
    }

    @Test
    void R93_the_log_filters_by_target_and_action_and_pages_by_cursor() {
        String target = newId("user:");
        String other = newId("user:");
        for (int i = 0; i < 5; i++) {
            audit().record("key", i % 2 == 0 ? "credit.grant" : "credit.refund", target, "req_" + i, "n" + i);
        }
        audit().record("key", "credit.grant", other, "req_x", "other");

        AuditPage first = audit().list(new ListAudit(Optional.of(target), Optional.of("credit.grant"),
                OptionalLong.empty(), 2));
        AuditPage second = audit().list(new ListAudit(Optional.of(target), Optional.of("credit.grant"),
                first.before(), 2));

        assertThat(first.entries()).extracting(AuditEntry::summary).containsExactly("n4", "n2");
        assertThat(second.entries()).extracting(AuditEntry::summary).containsExactly("n0");
        assertThat(second.before()).isEmpty();
    }

    @Test
    void R93_a_long_summary_is_cut_to_its_bound_not_refused() {
        String target = newId("plan:");
        audit().record("key", "plan.put", target, "req", "x".repeat(5000));

        AuditEntry stored = audit().list(new ListAudit(Optional.of(target), Optional.empty(), OptionalLong.empty(), 1))
                .entries().get(0);

        assertThat(stored.summary()).hasSize(AuditEntry.MAX_SUMMARY).endsWith("…");
    }

    @Test
    void R93_concurrent_writers_each_get_an_entry_of_their_own() throws Exception {
        String target = newId("user:");
        List<AuditEntry> written = concurrently(8, 80, i -> () -> audit().record("key", "credit.grant", target,
                "req_" + i, "n" + i));

        List<AuditEntry> read = audit().list(new ListAudit(Optional.of(target), Optional.empty(), OptionalLong.empty(),
                100)).entries();

        assertThat(new HashSet<>(read)).isEqualTo(new HashSet<>(written));
        assertThat(read).hasSize(80).extracting(AuditEntry::id).isSortedAccordingTo((a, b) -> Long.compare(b, a));
    }

    @Test
    void R93_the_port_can_only_append_and_read() {
        assertThat(Arrays.stream(AuditLog.class.getMethods()).map(Method::getName).distinct())
                .containsExactlyInAnyOrder("append", "page");
    }
}
