package dev.tally.adapter.http;

/** Tenant bounds over HTTP on in-memory storage. */
class InMemoryTenantBoundTest extends TenantBoundScenarios {
}
