package dev.tally.adapter.http;

/** Entitlement checks over HTTP on in-memory storage. */
class InMemoryEntitlementScenariosTest extends EntitlementScenarios {
}
