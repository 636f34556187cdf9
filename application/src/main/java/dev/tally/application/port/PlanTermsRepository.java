package dev.tally.application.port;

import dev.tally.domain.plan.PlanOverride;
import dev.tally.domain.user.ScheduledPlanChange;
import dev.tally.domain.user.UserId;
import java.util.Objects;
import java.util.Optional;

/**
 * Each user's terms beside its plan (R73): the operator's override of the plan, and a plan change
 * booked for later. Both belong to the user: an override survives plan changes.
 */
public interface PlanTermsRepository {

    /** The user's override and scheduled change, read together; empty ones when there are none. */
    Terms find(UserId user);

    /** Creates or replaces the user's override. */
    void saveOverride(UserId user, PlanOverride override);

    /** Removes the user's override; true when there was one. */
    boolean deleteOverride(UserId user);

    /** Creates or replaces the user's scheduled plan change. */
    void saveScheduled(UserId user, ScheduledPlanChange change);

    /** Removes the user's scheduled plan change; true when there was one. */
    boolean deleteScheduled(UserId user);

    /** A user's override and scheduled plan change, each empty when there is none. */
    record Terms(Optional<PlanOverride> override, Optional<ScheduledPlanChange> scheduled) {

        /** No override and nothing scheduled. */
        public static final Terms NONE = new Terms(Optional.empty(), Optional.empty());

        public Terms {
            Objects.requireNonNull(override, "override");
            Objects.requireNonNull(scheduled, "scheduled");
        }
    }
}
